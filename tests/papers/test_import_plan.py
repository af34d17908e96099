"""Issue 17.5: the file is parsed once, at upload; preview and confirm reuse the stored plan."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.papers.test_import_caps import bib
from tracker.papers import bibtex
from tracker.papers.models import Paper, PendingImport

BIB = Path(__file__).parent / "bib"


@pytest.fixture
def parse_calls(monkeypatch):
    """Counts calls of the BibTeX parser (still doing the real work)."""
    calls = []
    real = bibtex.parse_bibtex

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(bibtex, "parse_bibtex", counting)
    return calls


def stage(client, data: bytes) -> PendingImport:
    response = client.post(reverse("papers:import"), {"file": SimpleUploadedFile("f.bib", data)})
    assert response.status_code == 302
    return PendingImport.objects.get()


def test_upload_parses_once_and_keeps_the_plan_not_the_text(client_logged_in, parse_calls):
    pending = stage(client_logged_in, (BIB / "zotero_bbt.bib").read_bytes())
    assert len(parse_calls) == 1
    assert pending.content == ""
    assert (pending.to_create, pending.duplicates, pending.rejected) == (2, 0, 1)
    assert [e["key"] for e in pending.plan["create"]] == [
        "vaswaniAttentionAllYou2017",
        "schonTachyon1999",
    ]


def test_preview_get_does_not_parse_the_file_again(client_logged_in, htmx, parse_calls):
    pending = stage(client_logged_in, (BIB / "zotero_bbt.bib").read_bytes())
    url = reverse("papers:import_preview", args=[pending.pk])
    parse_calls.clear()
    for _ in range(3):
        html = " ".join(client_logged_in.get(url).content.decode().split())
        assert "2 to create, 0 duplicates, 1 rejected" in html
        assert "Tachyon Condensation" in html
        assert client_logged_in.get(url, **htmx).status_code == 200
    assert parse_calls == []


def test_confirm_does_not_parse_the_file_again(client_logged_in, user, parse_calls):
    pending = stage(client_logged_in, (BIB / "jabref.bib").read_bytes())
    parse_calls.clear()
    client_logged_in.post(reverse("papers:import_confirm", args=[pending.pk]))
    assert parse_calls == []
    assert Paper.objects.filter(owner=user).count() == 3


def test_preview_queries_do_not_grow_with_the_file(client_logged_in):
    small = stage(client_logged_in, bib(5, keywords=2))
    url = reverse("papers:import_preview", args=[small.pk])
    with CaptureQueriesContext(connection) as few:
        client_logged_in.get(url)
    PendingImport.objects.all().delete()
    large = stage(client_logged_in, bib(600, keywords=2))
    with CaptureQueriesContext(connection) as many:
        html = client_logged_in.get(reverse("papers:import_preview", args=[large.pk])).content
    assert len(many.captured_queries) == len(few.captured_queries)
    # The table shows the first rows; the counts cover the whole file.
    assert b"Showing the first 200 of 600." in html
    assert html.count(b'class="import-create"') == 200


def test_confirm_checks_duplicates_against_the_library_as_it_is_now(client_logged_in, user):
    pending = stage(client_logged_in, (BIB / "jabref.bib").read_bytes())
    Paper.objects.create(
        owner=user, title="GAN added meanwhile", arxiv_id="1406.2661", added_on="2026-01-01"
    )
    response = client_logged_in.post(reverse("papers:import_confirm", args=[pending.pk]))
    assert response.status_code == 302
    assert Paper.objects.filter(owner=user).count() == 3  # the meanwhile one and two new
    assert Paper.objects.filter(arxiv_id="1406.2661").count() == 1


def test_a_pending_import_from_before_stored_plans_still_previews(client_logged_in, user):
    pending = PendingImport.objects.create(owner=user, content="@misc{a, title={Legacy}}")
    html = client_logged_in.get(reverse("papers:import_preview", args=[pending.pk])).content
    assert b"Legacy" in html
    client_logged_in.post(reverse("papers:import_confirm", args=[pending.pk]))
    assert list(Paper.objects.values_list("title", flat=True)) == ["Legacy"]
