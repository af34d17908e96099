"""Turn whatever a user pastes into the quick-add box into a typed identifier.

Pure functions, no Django and no network: a URL is only ever *parsed* here for
an identifier; it is never fetched (S7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "ArxivId",
    "Doi",
    "Invalid",
    "OpenReviewId",
    "OtherUrl",
    "Parsed",
    "Title",
    "normalise_arxiv",
    "normalise_doi",
    "parse",
]

MAX_INPUT = 1000


@dataclass(frozen=True, slots=True)
class ArxivId:
    id: str  # normalised, without version: "1706.03762" or "hep-th/9901001"
    version: int | None = None

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.id}"


@dataclass(frozen=True, slots=True)
class Doi:
    doi: str  # lower case, "10.xxxx/..."

    @property
    def url(self) -> str:
        return f"https://doi.org/{self.doi}"


@dataclass(frozen=True, slots=True)
class OpenReviewId:
    id: str

    @property
    def url(self) -> str:
        return f"https://openreview.net/forum?id={self.id}"


@dataclass(frozen=True, slots=True)
class OtherUrl:
    """A link to somewhere we do not look up: kept as the paper's URL, never fetched."""

    url: str


@dataclass(frozen=True, slots=True)
class Title:
    text: str


@dataclass(frozen=True, slots=True)
class Invalid:
    text: str
    reason: str


type Parsed = ArxivId | Doi | OpenReviewId | OtherUrl | Title | Invalid

# -- arXiv -------------------------------------------------------------------

# New scheme (April 2007 on): YYMM.NNNN until 2014, YYMM.NNNNN from 2015.
_NEW_ARXIV = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})(?:v(\d{1,3}))?", re.ASCII)
# Old scheme (1991 - March 2007): archive[.SUBJ]/YYMMNNN
_OLD_ARXIV = re.compile(
    r"([a-z]+(?:-[a-z]+)?)(?:\.[a-z]{2})?/(\d{2})(\d{2})(\d{3})(?:v(\d{1,3}))?",
    re.ASCII | re.IGNORECASE,
)
OLD_ARCHIVES = frozenset(
    [
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "q-fin",
        "quant-ph",
        "solv-int",
        "stat",
        "supr-con",
    ]
)
_ARXIV_PREFIX = re.compile(r"^arxiv\s*:\s*", re.IGNORECASE)
_ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org", "xxx.lanl.gov"})
_LOOKS_NEW_ARXIV = re.compile(r"^\d{4}\.\d+(v\d*)?$", re.ASCII)


def _arxiv_new(text: str) -> ArxivId | str:
    """An ArxivId, or the reason text is not a valid new-style id."""
    m = _NEW_ARXIV.fullmatch(text)
    if not m:
        return "not an arXiv identifier (expected e.g. 1706.03762)"
    yy, mm, number, version = m.groups()
    year, month = int(yy), int(mm)
    if not 1 <= month <= 12:
        return f"{yy}{mm} is not a valid year and month"
    if (year, month) < (7, 4):
        return "new-style arXiv identifiers start in April 2007 (0704)"
    if year >= 15 and len(number) != 5:
        return "arXiv identifiers from 2015 on have five digits after the dot"
    if year < 15 and len(number) != 4:
        return "arXiv identifiers before 2015 have four digits after the dot"
    if version is not None and int(version) == 0:
        return "arXiv versions start at v1"
    return ArxivId(f"{yy}{mm}.{number}", int(version) if version else None)


def _arxiv_old(text: str) -> ArxivId | str:
    m = _OLD_ARXIV.fullmatch(text)
    if not m:
        return "not an arXiv identifier (expected e.g. hep-th/9901001)"
    archive, yy, mm, number, version = m.groups()
    archive = archive.lower()
    if archive not in OLD_ARCHIVES:
        return f"{archive} is not an arXiv archive"
    month, year = int(mm), int(yy)
    if not 1 <= month <= 12:
        return f"{yy}{mm} is not a valid year and month"
    # Old-style ids run from 1991-08 to 2007-03.
    if not (year >= 91 or (year, month) <= (7, 3)):
        return "old-style arXiv identifiers run from 1991 to March 2007"
    if version is not None and int(version) == 0:
        return "arXiv versions start at v1"
    # The subject class (math.GT/...) is not part of the identifier.
    return ArxivId(f"{archive}/{yy}{mm}{number}", int(version) if version else None)


def _arxiv_any(text: str) -> ArxivId | str:
    text = text.strip()
    if "/" in text:
        return _arxiv_old(text)
    return _arxiv_new(text)


def normalise_arxiv(text: str) -> str | None:
    """The versionless id for an arXiv id, "arXiv:" form or arxiv.org URL, else None."""
    result = parse(text)
    return result.id if isinstance(result, ArxivId) else None


# -- DOI ---------------------------------------------------------------------

# Registrant codes are 4+ digits, optionally with dotted subdivisions (10.1000.10/...).
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+", re.ASCII)
_DOI_SHAPE = re.compile(r"^10\.[^/\s]*/", re.ASCII)
_DOI_PREFIX = re.compile(r"^doi\s*:\s*", re.IGNORECASE)
_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
_TRAILING_PUNCT = ".,;:"


def _doi(text: str) -> Doi | str:
    text = text.strip().rstrip(_TRAILING_PUNCT)
    if re.fullmatch(r"10\.\d{4,9}(?:\.\d+)*/*", text, re.ASCII):
        return "the DOI has no suffix after the slash"
    if not _DOI.fullmatch(text):
        if _DOI_SHAPE.match(text) or text.startswith("10."):
            return "a DOI starts with 10. and a registrant code of at least four digits"
        return "not a DOI (expected e.g. 10.1145/3442188.3445922)"
    return Doi(text.lower())


def normalise_doi(text: str) -> str | None:
    """The lower-case DOI for a DOI, "doi:" form or doi.org URL, else None."""
    result = parse(text)
    return result.doi if isinstance(result, Doi) else None


# -- OpenReview --------------------------------------------------------------

_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_\-]{5,40}", re.ASCII)
_OPENREVIEW_HOSTS = frozenset({"openreview.net", "www.openreview.net"})

# -- other sites that name a paper in their URLs (issue 13: add from any page) --------

_ALPHAXIV_HOSTS = frozenset({"alphaxiv.org", "www.alphaxiv.org"})
_ALPHAXIV_PATH = re.compile(r"^/(?:abs|overview|pdf)/(.+?)(?:\.pdf)?/?$", re.IGNORECASE)
_ACL_HOSTS = frozenset({"aclanthology.org", "www.aclanthology.org", "aclweb.org", "www.aclweb.org"})
# New ids (2020.acl-main.1) and old ones (a letter, two digits, a dash, four digits),
# optionally .pdf; aclweb.org's /anthology/ prefix is the old address of the same pages.
_ACL_PATH = re.compile(
    r"^/(?:anthology/)?(\d{4}\.[a-z0-9\-]+\.\d+|[A-Z]\d{2}-\d{4})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
# ACL's DOI prefix: most Anthology papers since 2016 carry 10.18653/v1/<anthology id>.
ACL_DOI_PREFIX = "10.18653/v1/"
_S2_HOSTS = frozenset({"semanticscholar.org", "www.semanticscholar.org", "api.semanticscholar.org"})
_S2_ARXIV = re.compile(r"^/arxiv/(.+?)/?$", re.IGNORECASE)
_S2_PAPER = re.compile(r"^/paper/(?:([^/]+)/)?[0-9a-f]{40}/?$", re.IGNORECASE)

# -- entry point -------------------------------------------------------------

_URL = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_BARE_HOST = re.compile(
    r"^(?:www\.)?(?:arxiv\.org|export\.arxiv\.org|doi\.org|dx\.doi\.org|openreview\.net"
    r"|alphaxiv\.org|aclanthology\.org|semanticscholar\.org)/",
    re.IGNORECASE,
)
_WS = re.compile(r"\s+")
_ARXIV_PATH = re.compile(r"^/(?:abs|pdf|html|format|ps)/(.+?)(?:\.pdf)?/?$", re.IGNORECASE)
_DOI_IN_PATH = re.compile(r"/(10\.\d{4,9}(?:\.\d+)*/.+)$", re.ASCII)


def parse(raw: str) -> Parsed:
    """Classify quick-add input.

    Explicit forms (``arXiv:``, ``doi:``, arxiv.org, doi.org and openreview.net links)
    with a bad identifier and bare near misses (``1706.0376``, ``10.1/x``) are
    ``Invalid`` with a reason the form can show; anything else that is not a link is a
    ``Title``.
    """
    text = _WS.sub(" ", raw or "").strip()
    if not text:
        return Invalid("", "enter an arXiv ID, a DOI, a link or a title")
    if len(text) > MAX_INPUT:
        return Invalid(text[:MAX_INPUT], f"at most {MAX_INPUT} characters")
    if _BARE_HOST.match(text):
        text = "https://" + text

    if _URL.match(text):
        return _parse_url(text)

    if m := _ARXIV_PREFIX.match(text):
        return _or_invalid(text, _arxiv_any(text[m.end() :]))
    if m := _DOI_PREFIX.match(text):
        return _or_invalid(text, _doi(text[m.end() :]))

    if text.startswith("10.") and "/" in text and " " not in text:
        return _or_invalid(text, _doi(text))
    if _LOOKS_NEW_ARXIV.match(text):
        return _or_invalid(text, _arxiv_new(text))
    if " " not in text and (m := _OLD_ARXIV.fullmatch(text)):
        old = _arxiv_old(text)
        # "foo/9901001" with an unknown archive is a title, not a near miss.
        if isinstance(old, ArxivId) or m.group(1).lower() in OLD_ARCHIVES:
            return _or_invalid(text, old)
    return Title(text)


def _or_invalid(text: str, result: ArxivId | Doi | str) -> ArxivId | Doi | Invalid:
    return Invalid(text, result) if isinstance(result, str) else result


def _parse_url(text: str) -> Parsed:
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return Invalid(text, "this link is not a valid URL")
    if parts.scheme.lower() not in {"http", "https"}:
        return Invalid(text, "only http and https links are accepted")
    path = unquote(parts.path)

    if host in _ARXIV_HOSTS:
        m = _ARXIV_PATH.match(path)
        if not m:
            return Invalid(text, "this arXiv link does not name a paper (use /abs/<id>)")
        return _or_invalid(text, _arxiv_any(m.group(1)))

    if host in _DOI_HOSTS:
        return _or_invalid(text, _doi(path.lstrip("/")))

    if host in _OPENREVIEW_HOSTS:
        ids = parse_qs(parts.query).get("id", [])
        if path.rstrip("/") in {"/forum", "/pdf"} and ids and _OPENREVIEW_ID.fullmatch(ids[0]):
            return OpenReviewId(ids[0])
        return Invalid(text, "an OpenReview link looks like https://openreview.net/forum?id=…")

    if host in _ALPHAXIV_HOSTS:
        m = _ALPHAXIV_PATH.match(path)
        if not m:
            return Invalid(text, "this alphaXiv link does not name a paper (use /abs/<id>)")
        return _or_invalid(text, _arxiv_any(m.group(1)))

    if host in _ACL_HOSTS:
        m = _ACL_PATH.match(path)
        if not m:
            return Invalid(text, "this ACL Anthology link does not name a paper")
        return Doi((ACL_DOI_PREFIX + m.group(1)).lower())

    if host in _S2_HOSTS:
        if m := _S2_ARXIV.match(path):
            return _or_invalid(text, _arxiv_any(m.group(1)))
        if m := _S2_PAPER.match(path):
            # The slug is the title (often with the first authors' names): looked up by
            # title, whose similarity check refuses a wrong match.
            slug = " ".join(m.group(1).replace("-", " ").split()) if m.group(1) else ""
            return Title(slug) if slug else OtherUrl(text)
        return Invalid(text, "this Semantic Scholar link does not name a paper")

    # Publisher links often carry the DOI in the path (…/doi/10.1145/…); use it.
    if (m := _DOI_IN_PATH.search(path)) and isinstance(found := _doi(m.group(1)), Doi):
        return found
    if not host or "." not in host:
        return Invalid(text, "this link is not a valid URL")
    return OtherUrl(text)
