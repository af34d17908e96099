"""S2/S3 for the portfolio routes: POSTs need CSRF; GETs of every public URL change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.papers.factories import PaperFactory
from tests.portfolio.util import half_public, publish_everything
from tests.test_get_is_safe import snapshot
from tracker.portfolio.models import PortfolioSettings, PublicPaper

pytestmark = pytest.mark.django_db


def test_public_gets_change_nothing(user):
    half_public(user)
    urls = publish_everything(user)
    before = snapshot()
    for url in [*urls, "/u/nobody/", "/s/none/"]:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            assert Client().get(url, **headers).status_code < 500
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    ["/portfolio/settings/", "/portfolio/share/regenerate/", "/portfolio/share/revoke/"],
)
def test_posts_without_a_csrf_token_are_refused(user, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(path, {"handle": "ada"}).status_code == 403
    assert client.post(path, {"handle": "ada"}, HTTP_HX_REQUEST="true").status_code == 403
    assert not PortfolioSettings.objects.exists()


def test_switch_post_without_a_csrf_token_is_refused(user):
    paper = PaperFactory(owner=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/portfolio/publish/paper/{paper.pk}/", {"public": "1"}).status_code == 403
    assert not PublicPaper.objects.exists()
