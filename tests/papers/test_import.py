from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.papers.factories import PaperFactory
from tracker.papers.bibtex import MAX_BYTES
from tracker.papers.models import Paper, PendingImport, Topic

BIB = Path(__file__).parent / "bib"
UPLOAD = reverse("papers:import")


def upload(client, name="zotero_bbt.bib", content=None, **extra):
    data = content if content is not None else (BIB / name).read_bytes()
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)}, **extra)


def test_upload_page(client_logged_in, htmx):
    assert client_logged_in.get(UPLOAD).status_code == 200
    partial = client_logged_in.get(UPLOAD, **htmx).content.decode()
    assert partial.lstrip().startswith('<section id="import-form"')


def test_upload_redirects_to_a_preview_and_saves_no_paper(client_logged_in, user):
    response = upload(client_logged_in)
    pending = PendingImport.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("papers:import_preview", args=[pending.pk])
    assert not Paper.objects.exists()


def test_htmx_upload_redirects_the_client(client_logged_in, user, htmx):
    response = upload(client_logged_in, **htmx)
    assert response["HX-Redirect"].startswith("/papers/import/")


def test_preview_lists_created_duplicate_and_rejected(client_logged_in, user, htmx):
    PaperFactory(owner=user, arxiv_id="1706.03762", title="Attention (mine)")
    upload(client_logged_in)
    pending = PendingImport.objects.get()
    url = reverse("papers:import_preview", args=[pending.pk])
    html = " ".join(client_logged_in.get(url).content.decode().split())
    assert "1 to create, 1 duplicate, 1 rejected" in html
    assert "already in your library" in html
    assert "no title" in html
    assert "Tachyon Condensation" in html
    partial = client_logged_in.get(url, **htmx).content.decode()
    assert partial.lstrip().startswith('<section id="import-preview"')


def test_confirm_imports_everything_new_in_one_go(client_logged_in, user):
    upload(client_logged_in, "jabref.bib")
    pending = PendingImport.objects.get()
    response = client_logged_in.post(reverse("papers:import_confirm", args=[pending.pk]))
    assert response.status_code == 302
    assert Paper.objects.filter(owner=user).count() == 3
    gan = Paper.objects.get(arxiv_id="1406.2661")
    assert gan.author_list == ["Ian Goodfellow", "Jean Pouget-Abadie"]
    dropout = Paper.objects.get(title__startswith="Dropout")
    assert sorted(t.name for t in dropout.topics.all()) == ["dropout", "regularization"]
    assert not PendingImport.objects.exists()
    # Confirming twice cannot import twice.
    again = client_logged_in.post(reverse("papers:import_confirm", args=[pending.pk]))
    assert again.status_code == 404
    assert Paper.objects.filter(owner=user).count() == 3


def test_duplicates_within_the_file_are_created_once(client_logged_in, user):
    text = (
        "@misc{a, title={One}, eprint={1706.03762}, archiveprefix={arXiv}}\n"
        "@misc{b, title={One again}, url={https://arxiv.org/abs/1706.03762v3}}\n"
    )
    upload(client_logged_in, content=text.encode())
    client_logged_in.post(reverse("papers:import_confirm", args=[PendingImport.objects.get().pk]))
    assert Paper.objects.filter(owner=user).count() == 1


def test_existing_topics_are_reused(client_logged_in, user):
    Topic.objects.create(owner=user, name="Dropout")
    upload(client_logged_in, "jabref.bib")
    client_logged_in.post(reverse("papers:import_confirm", args=[PendingImport.objects.get().pk]))
    assert Topic.objects.filter(owner=user, name__iexact="dropout").count() == 1


def test_file_over_5_mb_gets_a_clear_message(client_logged_in):
    response = upload(client_logged_in, content=b"%" * (MAX_BYTES + 10))
    assert response.status_code == 422
    assert "the limit is 5 MB" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_binary_file_is_refused_and_nothing_changes(client_logged_in):
    response = upload(client_logged_in, content=b"\x89PNG\r\n\x1a\n\x00\x00")
    assert response.status_code == 422
    assert "not a BibTeX" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_runaway_string_macros_are_refused(client_logged_in):
    text = "@string{big = {" + "x" * 90_000 + "}}\n"
    text += "\n".join(f"@misc{{k{i}, title = big # big}}" for i in range(20))
    response = upload(client_logged_in, content=text.encode())
    assert response.status_code == 422
    assert "expand" in response.content.decode()


def test_missing_file_is_422(client_logged_in):
    assert client_logged_in.post(UPLOAD, {}).status_code == 422


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_pending_import_is_404(client_logged_in, other_user, htmx_headers):
    pending = PendingImport.objects.create(owner=other_user, content="@misc{a, title={T}}")
    preview = reverse("papers:import_preview", args=[pending.pk])
    confirm = reverse("papers:import_confirm", args=[pending.pk])
    assert client_logged_in.get(preview, **htmx_headers).status_code == 404
    assert client_logged_in.post(confirm, **htmx_headers).status_code == 404
    assert not Paper.objects.exists()


def test_import_is_all_or_nothing(user):
    """A paper added while the import runs makes the insert fail: nothing of the file stays."""
    from django.db import IntegrityError

    from tracker.papers import bibtex, imports

    plan = imports.plan_import(user, bibtex.parse_bibtex((BIB / "jabref.bib").read_bytes()))
    assert plan.counts["created"] == 3
    # Same arXiv ID as the file's GAN entry, added by a concurrent quick add.
    PaperFactory(owner=user, arxiv_id="1406.2661", title="Added meanwhile")
    with pytest.raises(IntegrityError):
        imports.apply_import(user, plan)
    assert list(Paper.objects.values_list("title", flat=True)) == ["Added meanwhile"]
    assert not Topic.objects.exists()
