"""The README badge: valid SVG, ETag + short max-age, 304, an SVG-only CSP."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.papers.factories import PaperFactory
from tests.portfolio.util import enable

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("metric", "label"),
    [("papers", "papers read"), ("streak", "streak"), ("replications", "replications")],
)
def test_badge_is_valid_svg_with_label_and_value(user, metric, label):
    enable(user)
    PaperFactory(owner=user, status="read", finished_on=user.local_today())
    response = Client().get(f"/u/ada/badge.svg?metric={metric}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert label in texts
    if metric == "papers":
        assert "1" in texts


def test_badge_has_etag_short_max_age_and_answers_304(user):
    enable(user)
    first = Client().get("/u/ada/badge.svg")
    etag = first["ETag"]
    assert "max-age=300" in first["Cache-Control"]
    again = Client().get("/u/ada/badge.svg", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    PaperFactory(owner=user, status="read", finished_on=user.local_today())
    changed = Client().get("/u/ada/badge.svg", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_badge_csp_allows_nothing_but_the_svg(user):
    enable(user)
    csp = Client().get("/u/ada/badge.svg")["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp


def test_badge_of_a_switched_off_section_or_unknown_metric_404s(user):
    enable(user, show_activity=False)
    assert Client().get("/u/ada/badge.svg?metric=streak").status_code == 404
    assert Client().get("/u/ada/badge.svg?metric=papers").status_code == 404
    assert Client().get("/u/ada/badge.svg?metric=<x>").status_code == 404
    assert Client().get("/u/ada/badge.svg?metric=replications").status_code == 200


def test_settings_show_the_markdown_to_paste(user, client_logged_in):
    enable(user)
    body = client_logged_in.get("/portfolio/settings/").content.decode()
    assert (
        "[![papers](http://testserver/u/ada/badge.svg?metric=papers)](http://testserver/u/ada/)"
        in body
    )
