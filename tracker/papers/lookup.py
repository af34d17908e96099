"""Metadata look-up against the arXiv API and Crossref, and nothing else.

S7: only the two fixed API bases (overridable in settings for tests) are ever
requested; a user's URL is parsed for an identifier by ``identifiers.parse`` and
never fetched. Every request has a 5-second timeout and a response size limit;
redirects are not followed (they could lead anywhere). Callers get ``Metadata`` or
``LookupFailure`` and never an exception.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import logging
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import httpx
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from tracker.papers.identifiers import ArxivId, Doi, normalise_arxiv, normalise_doi

logger = logging.getLogger(__name__)

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_CROSSREF_API = "https://api.crossref.org"
TIMEOUT_SECONDS = 5.0
MAX_BYTES = 2 * 1024 * 1024
CACHE_SECONDS = 7 * 24 * 3600
CACHE_MISS_SECONDS = 3600
TITLE_MATCH = 0.9

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_WS = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]{0,200}>")


@dataclass(frozen=True)
class Metadata:
    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    abstract: str = ""
    url: str = ""
    arxiv_id: str = ""
    doi: str = ""
    source: str = ""  # "arxiv" or "crossref"


@dataclass(frozen=True)
class LookupFailure:
    reason: str  # shown to the user next to the pre-filled form
    kind: str = "error"  # "not_found", "timeout", "error"


type LookupResult = Metadata | LookupFailure


class Cache(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any, timeout: int | None = ...) -> None: ...


class _Fail(Exception):
    def __init__(self, failure: LookupFailure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


def _clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _default_cache() -> Cache | None:
    try:
        from django.conf import settings

        if not settings.configured:
            return None
        from django.core.cache import cache

        return cache
    except Exception:  # pragma: no cover - Django missing or misconfigured
        return None


def _setting(name: str, default: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            return str(getattr(settings, name, default) or default)
    except Exception:  # pragma: no cover
        pass
    return default


class MetadataClient:
    def __init__(
        self,
        *,
        arxiv_api: str | None = None,
        crossref_api: str | None = None,
        cache: Cache | bool | None = True,
        transport: httpx.BaseTransport | None = None,
        timeout: float | None = None,
        max_bytes: int = MAX_BYTES,
        contact: str | None = None,
    ) -> None:
        self.arxiv_api = arxiv_api or _setting("PAPERS_ARXIV_API", DEFAULT_ARXIV_API)
        self.crossref_api = (
            crossref_api or _setting("PAPERS_CROSSREF_API", DEFAULT_CROSSREF_API)
        ).rstrip("/")
        self.cache: Cache | None = _default_cache() if cache is True else (cache or None)
        self.transport = transport
        self.timeout = timeout or float(_setting("PAPERS_LOOKUP_TIMEOUT", str(TIMEOUT_SECONDS)))
        self.max_bytes = max_bytes
        contact = contact or _setting("PAPERS_CONTACT_EMAIL", "")
        # Crossref asks clients to identify themselves (the "polite pool").
        self.user_agent = "Paperstreak/0.1" + (f" (mailto:{contact})" if contact else "")

    # -- public API ---------------------------------------------------------

    def arxiv(self, arxiv_id: str) -> LookupResult:
        norm = normalise_arxiv(arxiv_id)
        if norm is None:
            return LookupFailure("not a valid arXiv identifier", "not_found")
        return self._cached(f"arxiv:{norm}", lambda: self._arxiv_by_id(norm))

    def doi(self, doi: str) -> LookupResult:
        norm = normalise_doi(doi)
        if norm is None:
            return LookupFailure("not a valid DOI", "not_found")
        return self._cached(f"doi:{norm}", lambda: self._crossref_by_doi(norm))

    def title(self, title: str) -> LookupResult:
        """Best match for a title: arXiv first (most ML papers), then Crossref.

        A hit only counts when its title is close to the one asked for, so a vague
        query never fills the form with an unrelated paper.
        """
        query = _clean(title)[:300]
        if not query:
            return LookupFailure("no title given", "not_found")
        return self._cached(f"title:{query.lower()}", lambda: self._by_title(query))

    def lookup(self, parsed: ArxivId | Doi | str) -> LookupResult:
        if isinstance(parsed, ArxivId):
            return self.arxiv(parsed.id)
        if isinstance(parsed, Doi):
            return self.doi(parsed.doi)
        return self.title(parsed)

    # -- plumbing -----------------------------------------------------------

    def _cached(self, key: str, fetch: Any) -> LookupResult:
        cache_key = "papers:lookup:v1:" + hashlib.sha256(key.encode()).hexdigest()
        if self.cache is not None:
            try:
                hit = self.cache.get(cache_key)
            except Exception:  # a broken cache must not break quick add
                logger.warning("lookup cache get failed", exc_info=True)
                hit = None
            if isinstance(hit, dict):
                if "reason" in hit:
                    return LookupFailure(**hit)
                return Metadata(**hit)
        try:
            result: LookupResult = fetch()
        except _Fail as exc:
            result = exc.failure
        except Exception:  # never let a parsing surprise reach the view
            logger.exception("metadata look-up failed for %s", key)
            result = LookupFailure("the metadata service returned something unexpected")
        if self.cache is not None and (isinstance(result, Metadata) or result.kind == "not_found"):
            timeout = CACHE_SECONDS if isinstance(result, Metadata) else CACHE_MISS_SECONDS
            try:
                self.cache.set(cache_key, asdict(result), timeout)
            except Exception:
                logger.warning("lookup cache set failed", exc_info=True)
        return result

    def _get(self, url: str, params: dict[str, str | int], service: str) -> tuple[int, bytes]:
        """GET with timeout and a streamed size cap; raises _Fail, never httpx errors."""
        headers = {"User-Agent": self.user_agent}
        try:
            with (
                httpx.Client(
                    transport=self.transport,
                    timeout=httpx.Timeout(self.timeout),
                    follow_redirects=False,
                    headers=headers,
                    trust_env=False,
                ) as client,
                client.stream("GET", url, params=params) as response,
            ):
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise _Fail(LookupFailure(f"{service} sent a response that is too large"))
                chunks: list[bytes] = []
                size = 0
                # Count decoded bytes (a gzip bomb is capped too) and keep an overall
                # deadline: httpx's timeout is per read, so a slow drip could go on.
                deadline = time.monotonic() + self.timeout
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _Fail(LookupFailure(f"{service} sent a response that is too large"))
                    if time.monotonic() > deadline:
                        raise _Fail(LookupFailure(f"{service} did not answer in time", "timeout"))
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise _Fail(LookupFailure(f"{service} did not answer in time", "timeout")) from exc
        except httpx.HTTPError as exc:
            raise _Fail(LookupFailure(f"{service} could not be reached")) from exc

    # -- arXiv --------------------------------------------------------------

    def _arxiv_query(self, params: dict[str, str | int]) -> list[Metadata]:
        status, body = self._get(self.arxiv_api, params, "arXiv")
        if status != 200:
            if status in (400, 404):
                raise _Fail(LookupFailure("arXiv does not know this paper", "not_found"))
            raise _Fail(LookupFailure(f"arXiv answered with an error ({status})"))
        return parse_arxiv_feed(body)

    def _arxiv_by_id(self, arxiv_id: str) -> LookupResult:
        entries = self._arxiv_query({"id_list": arxiv_id, "max_results": 1})
        for entry in entries:
            if entry.arxiv_id == arxiv_id:
                return entry
        return LookupFailure("arXiv does not know this paper", "not_found")

    def _by_title(self, title: str) -> LookupResult:
        failure: LookupFailure | None = None
        try:
            phrase = title.replace('"', " ")
            entries = self._arxiv_query({"search_query": f'ti:"{phrase}"', "max_results": 3})
            for entry in entries:
                if _similar(entry.title, title):
                    return entry
        except _Fail as exc:
            failure = exc.failure
        if failure is not None and failure.kind == "timeout":
            # The user is waiting: one slow service is enough, go to the form.
            return failure
        try:
            status, body = self._get(
                f"{self.crossref_api}/works",
                {"query.bibliographic": title, "rows": 1},
                "Crossref",
            )
        except _Fail as exc:
            return failure or exc.failure
        if status != 200:
            return failure or LookupFailure(f"Crossref answered with an error ({status})")
        items = _crossref_message(body).get("items") or []
        for item in items[:1]:
            meta = crossref_work_to_metadata(item)
            if meta and _similar(meta.title, title):
                return meta
        return LookupFailure("no paper with this title was found", "not_found")

    # -- Crossref -----------------------------------------------------------

    def _crossref_by_doi(self, doi: str) -> LookupResult:
        # The DOI goes in the path: keep "/" but quote everything else.
        from urllib.parse import quote

        status, body = self._get(
            f"{self.crossref_api}/works/{quote(doi, safe='/')}", {}, "Crossref"
        )
        if status == 404:
            return LookupFailure("Crossref does not know this DOI", "not_found")
        if status != 200:
            return LookupFailure(f"Crossref answered with an error ({status})")
        meta = crossref_work_to_metadata(_crossref_message(body))
        if meta is None:
            return LookupFailure("Crossref sent a record without a title", "not_found")
        return meta


def _similar(found: str, wanted: str) -> bool:
    a = re.sub(r"[^a-z0-9]+", " ", found.lower()).strip()
    b = re.sub(r"[^a-z0-9]+", " ", wanted.lower()).strip()
    if not a or not b:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= TITLE_MATCH


# -- response parsing (pure, used by tests directly) ---------------------------


def parse_arxiv_feed(body: bytes) -> list[Metadata]:
    """Entries of an arXiv Atom feed. Raises _Fail for garbage or an API error entry."""
    try:
        # No DTDs at all: the API never sends one, and refusing them in the parser (not by
        # looking for "<!doctype" in the bytes) rules out entity expansion and external
        # references however the document is encoded.
        root = SafeET.fromstring(body, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise _Fail(LookupFailure("arXiv sent a malformed response")) from exc
    if root.tag != f"{_ATOM}feed":
        raise _Fail(LookupFailure("arXiv sent a malformed response"))
    results: list[Metadata] = []
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = _clean(entry.findtext(f"{_ATOM}id"))
        title = _clean(entry.findtext(f"{_ATOM}title"))
        if "/api/errors" in entry_id or title == "Error":
            reason = _clean(entry.findtext(f"{_ATOM}summary")) or "unknown error"
            raise _Fail(LookupFailure(f"arXiv: {reason}", "not_found"))
        arxiv_id = normalise_arxiv(entry_id) or ""
        if not title or not arxiv_id:
            continue  # arXiv answers unknown ids with an empty entry
        authors = [_clean(a.findtext(f"{_ATOM}name")) for a in entry.findall(f"{_ATOM}author")]
        published = _clean(entry.findtext(f"{_ATOM}published"))
        year = int(published[:4]) if published[:4].isdigit() else None
        journal_ref = _clean(entry.findtext(f"{_ARXIV}journal_ref"))
        doi = normalise_doi(_clean(entry.findtext(f"{_ARXIV}doi"))) or ""
        results.append(
            Metadata(
                title=title[:500],
                authors=[a[:200] for a in authors if a][:100],
                year=year,
                venue=(journal_ref or "arXiv")[:300],
                abstract=_clean(entry.findtext(f"{_ATOM}summary"))[:10000],
                url=f"https://arxiv.org/abs/{arxiv_id}",
                arxiv_id=arxiv_id,
                doi=doi,
                source="arxiv",
            )
        )
    return results


def _crossref_message(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Fail(LookupFailure("Crossref sent a malformed response")) from exc
    if not isinstance(data, dict) or data.get("status") != "ok":
        raise _Fail(LookupFailure("Crossref sent a malformed response"))
    message = data.get("message")
    if not isinstance(message, dict):
        raise _Fail(LookupFailure("Crossref sent a malformed response"))
    return message


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return _clean(value) if isinstance(value, str) else ""


def _crossref_year(work: dict[str, Any]) -> int | None:
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (work.get(key) or {}).get("date-parts") if isinstance(work.get(key), dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
            if isinstance(year, int) and 1000 <= year <= 3000:
                return year
    return None


def crossref_work_to_metadata(work: Any) -> Metadata | None:
    if not isinstance(work, dict):
        return None
    title = _first(work.get("title"))
    if not title:
        return None
    authors = []
    for person in work.get("author") or []:
        if not isinstance(person, dict):
            continue
        name = " ".join(
            p for p in (_first(person.get("given")), _first(person.get("family"))) if p
        ) or _first(person.get("name"))
        if name:
            authors.append(name[:200])
    raw_abstract = work.get("abstract")
    abstract = raw_abstract if isinstance(raw_abstract, str) else ""
    doi = normalise_doi(_first(work.get("DOI"))) or ""
    return Metadata(
        title=html.unescape(title)[:500],
        authors=authors[:100],
        year=_crossref_year(work),
        venue=html.unescape(_first(work.get("container-title")) or _first(work.get("publisher")))[
            :300
        ],
        abstract=_clean(html.unescape(_TAGS.sub(" ", abstract)))[:10000],
        url=f"https://doi.org/{doi}" if doi else "",
        arxiv_id="",
        doi=doi,
        source="crossref",
    )


def lookup(parsed: ArxivId | Doi | str, client: MetadataClient | None = None) -> LookupResult:
    return (client or MetadataClient()).lookup(parsed)
