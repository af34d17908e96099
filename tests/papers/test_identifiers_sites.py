"""Add from any page: the identifier read from the address of the page a user is on.

Parsed only, never fetched (S7). The table is what the bookmarklet and the share target
send: ``location.href`` of arXiv, alphaXiv, OpenReview, doi.org, ACL Anthology and
Semantic Scholar pages.
"""

import pytest

from tracker.papers.identifiers import ArxivId, Doi, Invalid, OpenReviewId, OtherUrl, Title, parse

TABLE = [
    ("https://arxiv.org/abs/1706.03762", ArxivId("1706.03762")),
    ("https://arxiv.org/abs/1706.03762v5", ArxivId("1706.03762", 5)),
    ("https://arxiv.org/pdf/1706.03762", ArxivId("1706.03762")),
    ("https://arxiv.org/pdf/1706.03762v7.pdf", ArxivId("1706.03762", 7)),
    ("https://arxiv.org/html/2401.04088v1", ArxivId("2401.04088", 1)),
    ("https://arxiv.org/html/2401.04088v1/", ArxivId("2401.04088", 1)),
    ("http://export.arxiv.org/abs/hep-th/9901001", ArxivId("hep-th/9901001")),
    ("https://www.alphaxiv.org/abs/2401.04088", ArxivId("2401.04088")),
    ("https://alphaxiv.org/overview/1706.03762v2", ArxivId("1706.03762", 2)),
    ("https://www.alphaxiv.org/pdf/1706.03762", ArxivId("1706.03762")),
    ("https://openreview.net/forum?id=rJ4km2R5t7", OpenReviewId("rJ4km2R5t7")),
    ("https://openreview.net/pdf?id=rJ4km2R5t7", OpenReviewId("rJ4km2R5t7")),
    ("https://doi.org/10.1145/3442188.3445922", Doi("10.1145/3442188.3445922")),
    ("https://dx.doi.org/10.1038/NATURE14539", Doi("10.1038/nature14539")),
    ("https://aclanthology.org/2020.acl-main.463/", Doi("10.18653/v1/2020.acl-main.463")),
    ("https://aclanthology.org/2020.acl-main.463.pdf", Doi("10.18653/v1/2020.acl-main.463")),
    ("https://aclanthology.org/P19-1001/", Doi("10.18653/v1/p19-1001")),
    ("https://www.aclweb.org/anthology/N19-1423.pdf", Doi("10.18653/v1/n19-1423")),
    ("https://www.semanticscholar.org/arxiv/1706.03762", ArxivId("1706.03762")),
    (
        "https://www.semanticscholar.org/paper/Attention-is-All-you-Need-Vaswani-Shazeer/"
        "204e3073870fae3d05bcbc2f6a8e263d9b72e776",
        Title("Attention is All you Need Vaswani Shazeer"),
    ),
    (
        "https://www.semanticscholar.org/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776",
        OtherUrl("https://www.semanticscholar.org/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776"),
    ),
    ("https://example.org/blog/post", OtherUrl("https://example.org/blog/post")),
]


@pytest.mark.parametrize(("url", "expected"), TABLE, ids=[u for u, _ in TABLE])
def test_page_address_gives_the_paper(url: str, expected: object) -> None:
    assert parse(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.alphaxiv.org/explore",
        "https://aclanthology.org/events/acl-2020/",
        "https://www.semanticscholar.org/search?q=attention",
        "https://alphaxiv.org/abs/1706.0376",
    ],
)
def test_site_pages_that_name_no_paper_are_invalid(url: str) -> None:
    assert isinstance(parse(url), Invalid)
