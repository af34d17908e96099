import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracker.papers.identifiers import (
    ArxivId,
    Doi,
    Invalid,
    OpenReviewId,
    OtherUrl,
    Title,
    normalise_arxiv,
    normalise_doi,
    parse,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1706.03762", ArxivId("1706.03762")),
        ("arXiv:1706.03762v5", ArxivId("1706.03762", 5)),
        ("ARXIV: 1706.03762", ArxivId("1706.03762")),
        ("https://arxiv.org/abs/1706.03762", ArxivId("1706.03762")),
        ("https://arxiv.org/pdf/1706.03762v2.pdf", ArxivId("1706.03762", 2)),
        ("https://arxiv.org/pdf/1706.03762v2", ArxivId("1706.03762", 2)),
        ("http://www.arxiv.org/abs/1706.03762/", ArxivId("1706.03762")),
        ("arxiv.org/abs/1706.03762v1", ArxivId("1706.03762", 1)),
        ("https://export.arxiv.org/abs/0704.0001", ArxivId("0704.0001")),
        ("1412.6980", ArxivId("1412.6980")),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("arXiv:hep-th/9901001v2", ArxivId("hep-th/9901001", 2)),
        ("math.GT/0309136", ArxivId("math/0309136")),
        ("https://arxiv.org/abs/cond-mat/0102536v1", ArxivId("cond-mat/0102536", 1)),
        ("  1706.03762  ", ArxivId("1706.03762")),
    ],
)
def test_arxiv_forms_normalise_without_version(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "10.1145/3442188.3445922",
        "doi:10.1145/3442188.3445922",
        "DOI: 10.1145/3442188.3445922",
        "https://doi.org/10.1145/3442188.3445922",
        "https://dx.doi.org/10.1145/3442188.3445922",
        "http://doi.org/10.1145/3442188.3445922",
        "doi.org/10.1145/3442188.3445922",
        "https://dl.acm.org/doi/abs/10.1145/3442188.3445922",
        "10.1145/3442188.3445922.",
    ],
)
def test_doi_forms_normalise(text):
    assert parse(text) == Doi("10.1145/3442188.3445922")


def test_doi_is_lower_cased_and_url_decoded():
    assert parse("https://doi.org/10.1002/%28SICI%291097-4571") == Doi("10.1002/(sici)1097-4571")
    assert parse("10.1038/NATURE14539") == Doi("10.1038/nature14539")


def test_doi_with_subdivided_registrant():
    assert parse("10.1000.10/ABC") == Doi("10.1000.10/abc")


@pytest.mark.parametrize(
    "text",
    [
        "https://openreview.net/forum?id=YicbFdNTTy",
        "https://openreview.net/pdf?id=YicbFdNTTy",
        "openreview.net/forum?id=YicbFdNTTy&noteId=abc",
    ],
)
def test_openreview_links(text):
    result = parse(text)
    assert result == OpenReviewId("YicbFdNTTy")
    assert result.url == "https://openreview.net/forum?id=YicbFdNTTy"


@pytest.mark.parametrize(
    ("text", "reason_part"),
    [
        ("1706.0376", "five digits"),
        ("1312.12345", "four digits"),
        ("1713.01234", "year and month"),
        ("0612.0001", "April 2007"),
        ("arXiv:abc", "not an arXiv identifier"),
        ("arXiv:1706.03762v0", "v1"),
        ("10.1/x", "registrant code"),
        ("10.12/abc", "registrant code"),
        ("doi:nonsense", "not a DOI"),
        ("doi:10.1234/", "no suffix"),
        ("https://doi.org/", "not a DOI"),
        ("https://arxiv.org/list/cs.LG/recent", "does not name a paper"),
        ("https://arxiv.org/abs/1706.0376", "five digits"),
        ("hep-th/0801001", "1991 to March 2007"),
        ("https://openreview.net/group?id=ICLR.cc", "OpenReview"),
        ("ftp://arxiv.org/abs/1706.03762", "http"),
        ("javascript://alert(1)", "http"),
        ("", "enter"),
        ("   ", "enter"),
        ("x" * 1001, "at most"),
    ],
)
def test_near_misses_are_invalid_with_a_reason(text, reason_part):
    result = parse(text)
    assert isinstance(result, Invalid)
    assert reason_part in result.reason


@pytest.mark.parametrize(
    "text",
    [
        "Attention Is All You Need",
        "Deep Residual Learning for Image Recognition",
        "1706",
        "foo/9901001",
        "GPT-4 Technical Report",
        "10 things about transformers",
    ],
)
def test_everything_else_is_a_title(text):
    assert parse(text) == Title(text)


def test_title_whitespace_is_collapsed():
    assert parse("  Attention \n is   all\tyou need ") == Title("Attention is all you need")


def test_other_links_are_kept_not_fetched():
    url = "https://proceedings.neurips.cc/paper/2017/hash/3f5ee243.html"
    assert parse(url) == OtherUrl(url)


def test_normalise_helpers():
    assert normalise_arxiv("arXiv:1706.03762v7") == "1706.03762"
    assert normalise_arxiv("Attention") is None
    assert normalise_doi("https://doi.org/10.1038/Nature14539") == "10.1038/nature14539"
    assert normalise_doi("1706.03762") is None


# -- property tests ---------------------------------------------------------


@st.composite
def new_arxiv_ids(draw):
    year = draw(st.integers(7, 99))
    month = draw(st.integers(4 if year == 7 else 1, 12))
    width = 5 if year >= 15 else 4
    number = draw(st.integers(0, 10**width - 1))
    return f"{year:02d}{month:02d}.{number:0{width}d}"


@st.composite
def old_arxiv_ids(draw):
    archive = draw(st.sampled_from(["hep-th", "hep-ph", "math", "cond-mat", "astro-ph", "cs"]))
    year = draw(st.sampled_from([91, 95, 99, 0, 3, 7]))
    month = draw(st.integers(1, 3 if year == 7 else 12))
    number = draw(st.integers(1, 999))
    return f"{archive}/{year:02d}{month:02d}{number:03d}"


ARXIV_FORMS = [
    "{id}{v}",
    "arXiv:{id}{v}",
    "arxiv: {id}{v}",
    "https://arxiv.org/abs/{id}{v}",
    "http://arxiv.org/pdf/{id}{v}.pdf",
    "https://arxiv.org/pdf/{id}{v}",
    "arxiv.org/abs/{id}{v}",
]


@given(
    st.one_of(new_arxiv_ids(), old_arxiv_ids()),
    st.one_of(st.none(), st.integers(1, 30)),
    st.sampled_from(ARXIV_FORMS),
)
def test_any_arxiv_form_round_trips_to_its_id(arxiv_id, version, form):
    text = form.format(id=arxiv_id, v=f"v{version}" if version else "")
    assert parse(text) == ArxivId(arxiv_id, version)
    # The normalised id parses back to itself.
    assert parse(arxiv_id) == ArxivId(arxiv_id)


_SUFFIX_CHARS = string.ascii_letters + string.digits + "-._;()/:"


@st.composite
def dois(draw):
    registrant = draw(st.integers(1000, 999999999))
    suffix = draw(st.text(_SUFFIX_CHARS, min_size=1, max_size=40))
    suffix = draw(st.sampled_from(string.ascii_letters + string.digits)) + suffix
    while suffix and suffix[-1] in ".,;:":
        suffix = suffix[:-1] + "x"
    return f"10.{registrant}/{suffix}"


DOI_FORMS = [
    "{}",
    "doi:{}",
    "DOI: {}",
    "https://doi.org/{}",
    "https://dx.doi.org/{}",
    "doi.org/{}",
]


@given(dois(), st.sampled_from(DOI_FORMS))
@example("10.1145/3442188.3445922", "https://doi.org/{}")
def test_any_doi_form_round_trips_lower_case(doi, form):
    result = parse(form.format(doi))
    assert result == Doi(doi.lower())
    assert parse(result.doi) == result
    assert parse(result.url) == result


@given(st.text(max_size=200))
def test_parse_never_raises_and_returns_a_known_type(text):
    result = parse(text)
    assert isinstance(result, ArxivId | Doi | OpenReviewId | OtherUrl | Title | Invalid)
    if isinstance(result, Title):
        assert result.text == " ".join(text.split())


@given(st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=80))
def test_words_are_titles(text):
    if text.strip() and not text.strip().lower().startswith(("arxiv", "doi")):
        assert isinstance(parse(text), Title)
