"""Per-object "show on portfolio" switches: off by default, htmx and plain forms, owner only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.papers.factories import PaperFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ReplicationFactory
from tracker.portfolio.models import PublicPaper, PublicProject, PublicReplication

pytestmark = pytest.mark.django_db


def test_objects_are_private_by_default_and_the_pages_show_the_switch(user, client_logged_in):
    paper = PaperFactory(owner=user)
    rep = ReplicationFactory(owner=user)
    project = ProjectFactory(owner=user)
    for obj in (paper, rep, project):
        body = client_logged_in.get(obj.get_absolute_url()).content.decode()
        assert "Show on portfolio" in body
    assert not (PublicPaper.objects.exists() or PublicReplication.objects.exists())
    assert not PublicProject.objects.exists()


@pytest.mark.parametrize(
    ("kind", "factory", "model"),
    [
        ("paper", PaperFactory, PublicPaper),
        ("replication", ReplicationFactory, PublicReplication),
        ("project", ProjectFactory, PublicProject),
    ],
)
def test_switch_on_and_off_plain_and_htmx(user, client_logged_in, htmx, kind, factory, model):
    obj = factory(owner=user)
    url = f"/portfolio/publish/{kind}/{obj.pk}/"
    response = client_logged_in.post(url, {"public": "1"})
    assert response.status_code == 302 and response["Location"] == obj.get_absolute_url()
    assert model.objects.count() == 1
    client_logged_in.post(url, {"public": "1"})
    assert model.objects.count() == 1, "setting, not flipping: a repeated POST is harmless"
    response = client_logged_in.post(url, {"public": "0"}, **htmx)
    assert response.status_code == 200
    assert 'id="portfolio-switch-' in response.content.decode()
    assert "Show on portfolio" in response.content.decode()
    assert model.objects.count() == 0


def test_invalid_switch_value_is_422_and_changes_nothing(user, client_logged_in, htmx):
    paper = PaperFactory(owner=user)
    response = client_logged_in.post(
        f"/portfolio/publish/paper/{paper.pk}/", {"public": "x"}, **htmx
    )
    assert response.status_code == 422
    assert not PublicPaper.objects.exists()


def test_summary_switch_only_on_a_published_paper(user, client_logged_in):
    paper = PaperFactory(owner=user, summary="mine")
    client_logged_in.post(f"/portfolio/publish/paper/{paper.pk}/summary/", {"public": "1"})
    assert not PublicPaper.objects.exists(), "a summary cannot be public on a private paper"
    client_logged_in.post(f"/portfolio/publish/paper/{paper.pk}/", {"public": "1"})
    assert "Make summary public" in client_logged_in.get(paper.get_absolute_url()).content.decode()
    client_logged_in.post(f"/portfolio/publish/paper/{paper.pk}/summary/", {"public": "1"})
    assert PublicPaper.objects.get().summary_public
    client_logged_in.post(f"/portfolio/publish/paper/{paper.pk}/", {"public": "0"})
    client_logged_in.post(f"/portfolio/publish/paper/{paper.pk}/", {"public": "1"})
    assert not PublicPaper.objects.get().summary_public, "re-publishing starts private again"


def test_someone_elses_object_is_404(user, other_client):
    paper = PaperFactory(owner=user)
    assert (
        other_client.post(f"/portfolio/publish/paper/{paper.pk}/", {"public": "1"}).status_code
        == 404
    )
    assert not PublicPaper.objects.exists()


def test_anonymous_cannot_switch(user):
    paper = PaperFactory(owner=user)
    response = Client().post(f"/portfolio/publish/paper/{paper.pk}/", {"public": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not PublicPaper.objects.exists()
