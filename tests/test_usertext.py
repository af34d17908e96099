"""The ``usertext`` filters and ``http_url`` (S6, P5)."""

import json
import re

import pytest
from django.template import engines
from django.test import Client
from django.utils.safestring import SafeString, mark_safe

from tracker.usertext import http_url, usertext


def test_usertext_escapes_even_a_safestring() -> None:
    html = usertext(mark_safe('<b hx-get="/x">a</b>'))
    assert html == "<span data-hx-disable>&lt;b hx-get=&quot;/x&quot;&gt;a&lt;/b&gt;</span>"
    assert isinstance(html, SafeString)


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_text_renders_nothing(empty: object) -> None:
    assert usertext(empty) == ""


def test_filters_are_builtins_in_every_template() -> None:
    template = engines["django"].from_string("{{ t|usertext }}|{{ u|http_url }}")
    assert template.render({"t": "<x>", "u": "javascript:alert(1)"}) == (
        "<span data-hx-disable>&lt;x&gt;</span>|"
    )


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "java\tscript:x",
     "data:text/html,x", "vbscript:x", "//evil.example/x", "/relative", "ftp://x.example/"],
)  # fmt: skip
def test_http_url_drops_anything_but_http_and_https(url: str) -> None:
    assert http_url(url) == ""


@pytest.mark.parametrize("url", ["https://github.com/a/b", "http://example.org/x?y=1"])
def test_http_url_keeps_web_links(url: str) -> None:
    assert http_url(url) == url


@pytest.mark.django_db
def test_htmx_is_configured_without_eval_script_tags_or_foreign_requests(
    client_logged_in: Client,
) -> None:
    html = client_logged_in.get("/").content.decode()
    match = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert match, "base.html sets htmx.config through a meta tag"
    config = json.loads(match.group(1))
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["selfRequestsOnly"] is True
