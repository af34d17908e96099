"""Prompts on a paper's page: add, edit, delete, reorder; full page, htmx and no-JS."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.papers.factories import PaperFactory
from tests.recall.factories import PromptFactory, ReadPaperFactory
from tracker.recall.forms import TEMPLATES, PromptForm
from tracker.recall.models import Prompt

pytestmark = pytest.mark.django_db


def test_paper_page_offers_prompts_and_templates(client_logged_in: Client, user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    body = client_logged_in.get(paper.get_absolute_url()).content.decode()
    assert 'id="recall-prompts"' in body
    for template in TEMPLATES:
        assert template in body


def test_unread_paper_has_no_prompts(client_logged_in: Client, user: object) -> None:
    paper = PaperFactory(owner=user)
    assert b'id="recall-prompts"' not in client_logged_in.get(paper.get_absolute_url()).content
    url = reverse("recall:prompts", args=[paper.pk])
    assert client_logged_in.post(url, {"question": "Q", "answer": "A"}).status_code == 404


def test_add_without_js_redirects(client_logged_in: Client, user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    url = reverse("recall:prompts", args=[paper.pk])
    response = client_logged_in.post(url, {"question": "What problem?", "answer": "Speed."})
    assert response.status_code == 302
    assert Prompt.objects.get(paper=paper).question == "What problem?"


def test_add_with_htmx_returns_the_section(
    client_logged_in: Client, user: object, htmx: dict[str, str]
) -> None:
    paper = ReadPaperFactory(owner=user)
    url = reverse("recall:prompts", args=[paper.pk])
    response = client_logged_in.post(url, {"question": "Key idea?", "answer": "X."}, **htmx)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="recall-prompts"')
    assert "Key idea?" in body


@pytest.mark.parametrize("htmx_on", [False, True])
def test_empty_answer_is_422_and_keeps_the_question(
    client_logged_in: Client, user: object, htmx: dict[str, str], htmx_on: bool
) -> None:
    paper = ReadPaperFactory(owner=user)
    url = reverse("recall:prompts", args=[paper.pk])
    extra = htmx if htmx_on else {}
    response = client_logged_in.post(url, {"question": "Kept question", "answer": " "}, **extra)
    assert response.status_code == 422
    assert "Kept question" in response.content.decode()
    assert not Prompt.objects.exists()


def test_eleventh_prompt_gets_a_clear_message(client_logged_in: Client, user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    PromptFactory.create_batch(10, paper=paper)
    url = reverse("recall:prompts", args=[paper.pk])
    response = client_logged_in.post(url, {"question": "One more", "answer": "A"})
    assert response.status_code == 422
    assert "at most 10 prompts" in response.content.decode()
    assert "One more" in response.content.decode()
    assert Prompt.objects.filter(paper=paper).count() == 10


def test_edit_full_page_htmx_and_invalid(
    client_logged_in: Client, user: object, htmx: dict[str, str]
) -> None:
    prompt = PromptFactory(paper=ReadPaperFactory(owner=user))
    url = reverse("recall:edit", args=[prompt.pk])
    assert client_logged_in.get(url).status_code == 200
    partial = client_logged_in.get(url, **htmx).content.decode()
    assert partial.lstrip().startswith('<section id="prompt-edit"')
    bad = client_logged_in.post(url, {"question": "Changed", "answer": ""})
    assert bad.status_code == 422
    assert "Changed" in bad.content.decode()
    ok = client_logged_in.post(url, {"question": "Changed", "answer": "New"})
    assert ok.status_code == 302
    prompt.refresh_from_db()
    assert (prompt.question, prompt.answer) == ("Changed", "New")


def test_delete_and_reorder(client_logged_in: Client, user: object, htmx: dict[str, str]) -> None:
    paper = ReadPaperFactory(owner=user)
    a, b, c = (PromptFactory(paper=paper, position=i) for i in range(3))
    response = client_logged_in.post(
        reverse("recall:move", args=[c.pk]), {"direction": "up"}, **htmx
    )
    assert response.status_code == 200
    assert list(Prompt.objects.filter(paper=paper).values_list("pk", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]
    client_logged_in.post(reverse("recall:move", args=[a.pk]), {"direction": "up"})  # no-op at top
    assert client_logged_in.post(reverse("recall:delete", args=[b.pk])).status_code == 302
    assert list(Prompt.objects.filter(paper=paper).values_list("pk", flat=True)) == [a.pk, c.pk]


def test_prompt_text_is_escaped(client_logged_in: Client, user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    PromptFactory(paper=paper, question="<script>alert(1)</script>")
    body = client_logged_in.get(paper.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_others_prompts_are_404(other_client: Client, user: object) -> None:
    prompt = PromptFactory(paper=ReadPaperFactory(owner=user))
    for name in ("edit", "delete", "move", "show", "rate"):
        assert other_client.post(reverse(f"recall:{name}", args=[prompt.pk])).status_code == 404
    url = reverse("recall:prompts", args=[prompt.paper.pk])
    assert other_client.get(url).status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(["question", "answer", "extra"]), st.text(max_size=2100)))
def test_prompt_form_never_raises(data: dict[str, str]) -> None:
    form = PromptForm(data)
    if form.is_valid():
        assert form.cleaned_data["question"].strip()
        assert form.cleaned_data["answer"].strip()
        assert len(form.cleaned_data["answer"]) <= 2000
