"""Issue 17.5: caps on one upload, refused at upload next to the file field, nothing saved."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracker.papers import imports
from tracker.papers.models import Paper, PendingImport, Topic

UPLOAD = reverse("papers:import")


def bib(n: int, keywords: int = 0, start: int = 0, shared: list[str] | None = None) -> bytes:
    """n entries; each with `keywords` keywords of its own plus the `shared` ones."""
    lines = []
    for i in range(start, start + n):
        words = [*(shared or []), *(f"kw{i}-{j}" for j in range(keywords))]
        lines.append(f"@misc{{e{i}, title = {{Paper {i}}}, keywords = {{{', '.join(words)}}}}}")
    return "\n".join(lines).encode()


def upload(client, data: bytes):
    return client.post(UPLOAD, {"file": SimpleUploadedFile("mine.bib", data)})


def field_errors(response) -> str:
    return " ".join(" ".join(response.context["form"].errors.get("file", [])).split())


def assert_nothing_saved(topics_before: int = 0) -> None:
    assert not PendingImport.objects.exists()
    assert not Paper.objects.exists()
    assert Topic.objects.count() == topics_before


def test_file_with_more_than_5000_entries_is_refused_with_a_message(client_logged_in):
    response = upload(client_logged_in, bib(imports.MAX_IMPORT_ENTRIES + 1))
    assert response.status_code == 422
    assert "more than 5,000 entries" in field_errors(response)
    assert "split it" in field_errors(response)
    assert_nothing_saved()


def test_file_with_exactly_5000_entries_is_accepted(client_logged_in):
    response = upload(client_logged_in, bib(imports.MAX_IMPORT_ENTRIES))
    assert response.status_code == 302
    assert PendingImport.objects.get().to_create == 5000


def test_entry_with_more_than_20_keywords_is_named_in_the_message(client_logged_in):
    data = bib(3, keywords=2) + b"\n" + bib(1, keywords=21, start=7)
    response = upload(client_logged_in, data)
    assert response.status_code == 422
    message = field_errors(response)
    assert "at most 20 keywords" in message
    assert "“e7” (line 4) has 21" in message
    assert "e0" not in message
    assert_nothing_saved()


def test_many_crowded_entries_are_summed_up(client_logged_in):
    response = upload(client_logged_in, bib(5, keywords=30))
    message = field_errors(response)
    assert "“e0” (line 1) has 30, “e1” (line 2) has 30, “e2” (line 3) has 30" in message
    assert "and 2 more entries" in message


def test_an_entry_with_exactly_20_keywords_is_accepted(client_logged_in):
    assert upload(client_logged_in, bib(1, keywords=20)).status_code == 302


def test_a_crowded_entry_that_is_a_duplicate_does_not_refuse_the_file(client_logged_in, user):
    Paper.objects.create(owner=user, title="Paper 0", added_on="2026-01-01")
    assert upload(client_logged_in, bib(1, keywords=25)).status_code == 302


def test_file_with_more_than_2000_distinct_keywords_is_refused(client_logged_in):
    response = upload(client_logged_in, bib(101, keywords=20))
    assert response.status_code == 422
    message = field_errors(response)
    assert "2,020 different keywords" in message
    assert "at most 2,000 topics" in message
    assert_nothing_saved()


def test_file_that_would_pass_2000_topics_with_the_users_own_is_refused(client_logged_in, user):
    Topic.objects.bulk_create(Topic(owner=user, name=f"old {i}") for i in range(1990))
    # 5 topics the user has already (any case) and 11 new ones.
    shared = [f"OLD {i}" for i in range(5)]
    response = upload(client_logged_in, bib(1, keywords=11, shared=shared))
    assert response.status_code == 422
    assert "you have 1,990 and this file adds 11 new ones" in field_errors(response)
    assert_nothing_saved(topics_before=1990)


def test_keywords_the_user_already_has_do_not_count_against_the_cap(client_logged_in, user):
    Topic.objects.bulk_create(Topic(owner=user, name=f"old {i}") for i in range(1995))
    shared = [f"old {i}" for i in range(15)]
    response = upload(client_logged_in, bib(1, keywords=5, shared=shared))
    assert response.status_code == 302


def test_another_users_topics_do_not_count(client_logged_in, other_user):
    Topic.objects.bulk_create(Topic(owner=other_user, name=f"t {i}") for i in range(2000))
    assert upload(client_logged_in, bib(1, keywords=3)).status_code == 302


def test_htmx_upload_over_a_cap_answers_the_form_partial_with_the_message(client_logged_in, htmx):
    data = bib(1, keywords=21)
    response = client_logged_in.post(UPLOAD, {"file": SimpleUploadedFile("mine.bib", data)}, **htmx)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="import-form"')
    assert "at most 20 keywords" in html


def test_a_cap_reached_between_upload_and_confirm_refuses_the_small_import(client_logged_in, user):
    assert upload(client_logged_in, bib(2, keywords=10)).status_code == 302
    pending = PendingImport.objects.get()
    Topic.objects.bulk_create(Topic(owner=user, name=f"mine {i}") for i in range(1990))
    response = client_logged_in.post(reverse("papers:import_confirm", args=[pending.pk]))
    assert response.status_code == 302
    assert response["Location"] == UPLOAD
    assert not Paper.objects.exists()
    pending.refresh_from_db()
    assert pending.status == "planned"  # rolled back with the papers: nothing half-done
