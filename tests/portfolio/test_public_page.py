"""P1/P2: the public page, the share link and what they may show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.portfolio.util import PRIVATE, enable, half_public
from tests.projects.factories import ProjectFactory
from tracker.portfolio.models import PortfolioSettings, PublicProject

pytestmark = pytest.mark.django_db


def test_portfolio_is_off_by_default(user):
    PortfolioSettings.objects.create(user=user, handle="ada")
    assert Client().get("/u/ada/").status_code == 404


def test_every_public_url_shows_only_public_items_to_an_anonymous_client(user):
    data = half_public(user)
    ps = enable(user, share_secret="s3cret-link-value")
    anonymous = Client()
    for url in ("/u/ada/", "/u/ADA/", f"/s/{ps.share_secret}/"):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for title in data["shown"]:
            assert title in body, (url, title)
        assert "PUBLIC summary" in body
        assert PRIVATE not in body, (url, body[body.find(PRIVATE) - 200 : body.find(PRIVATE) + 80])
        assert "77" not in body.replace("0.77", ""), "reading minutes never appear"
    for metric in ("papers", "streak", "replications"):
        badge = anonymous.get(f"/u/ada/badge.svg?metric={metric}").content.decode()
        assert PRIVATE not in badge
    replications = anonymous.get("/u/ada/badge.svg?metric=replications").content.decode()
    assert ">1<" in replications, "only the published replication is counted"


def test_sections_switched_off_are_absent(user):
    data = half_public(user)
    enable(user, show_replications=False, show_projects=False, show_papers=False)
    body = Client().get("/u/ada/").content.decode()
    assert "PUBLIC replicated paper" not in body
    assert "PUBLIC project" not in body
    assert "PUBLIC paper title" not in body
    assert "PUBLIC competition" in body, "still listed as a write-up"
    assert data


def test_turning_the_portfolio_off_404s_at_once(user, client_logged_in):
    enable(user)
    assert Client().get("/u/ada/").status_code == 200
    data = {"handle": "ada", "enabled": "", "show_papers": "on"}
    assert client_logged_in.post(reverse("portfolio:settings"), data).status_code == 302
    assert Client().get("/u/ada/").status_code == 404
    assert Client().get("/u/ada/badge.svg").status_code == 404


def test_page_is_never_cached_and_noindex_unless_allowed(user):
    enable(user)
    response = Client().get("/u/ada/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert 'property="og:title"' in response.content.decode()
    enable(user, allow_indexing=True)
    response = Client().get("/u/ada/")
    assert "X-Robots-Tag" not in response
    assert 'content="index, follow"' in response.content.decode()


def test_share_link_regenerated_old_one_404s_and_revoke_404s(user, client_logged_in):
    client_logged_in.post(reverse("portfolio:share_regenerate"))
    first = PortfolioSettings.objects.get(user=user).share_secret
    assert first
    shared = Client().get(f"/s/{first}/")
    assert shared.status_code == 200, "works while the public page is off"
    assert shared["X-Robots-Tag"] == "noindex, nofollow"
    client_logged_in.post(reverse("portfolio:share_regenerate"))
    second = PortfolioSettings.objects.get(user=user).share_secret
    assert second != first
    assert Client().get(f"/s/{first}/").status_code == 404
    assert Client().get(f"/s/{second}/").status_code == 200
    client_logged_in.post(reverse("portfolio:share_revoke"), HTTP_HX_REQUEST="true")
    assert Client().get(f"/s/{second}/").status_code == 404
    assert PortfolioSettings.objects.get(user=user).share_secret == ""


def test_query_count_is_constant_in_the_amount_of_data(user):
    half_public(user)
    enable(user)
    with CaptureQueriesContext(connection) as small:
        assert Client().get("/u/ada/").status_code == 200
    for _ in range(5):
        half_public_more(user)
    with CaptureQueriesContext(connection) as big:
        assert Client().get("/u/ada/").status_code == 200
    assert len(big) == len(small), [q["sql"][:120] for q in big.captured_queries]


def half_public_more(user):
    for kind in ("project", "competition"):
        PublicProject.objects.create(project=ProjectFactory(owner=user, kind=kind))
    from tests.papers.factories import PaperFactory
    from tests.replications.factories import ClaimFactory, ReplicationFactory
    from tracker.portfolio.models import PublicPaper, PublicReplication

    paper = PaperFactory(owner=user, status="read", finished_on=user.local_today())
    PublicPaper.objects.create(paper=paper, summary_public=True)
    rep = ReplicationFactory(owner=user)
    ClaimFactory(replication=rep)
    PublicReplication.objects.create(replication=rep)


def test_unknown_handle_and_secret_404():
    assert Client().get("/u/nobody/").status_code == 404
    assert Client().get("/s/nothing/").status_code == 404
