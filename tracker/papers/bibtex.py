"""BibTeX: the scanner, entry-to-paper mapping and the writer, as plain functions over dicts.

The parser is written for what Zotero (Better BibTeX), Mendeley and JabRef export:
@string macros, month macros, ``#`` concatenation, @comment/@preamble and ``%``
lines, LaTeX accents and escapes, eprint/archiveprefix, doi, url, keywords and file
fields. It never executes or expands anything without a bound (S8): the input is
capped at 5 MB, each field at ``MAX_VALUE`` characters and all @string expansion at
a budget tied to the file size.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.papers.identifiers import ArxivId, Doi, parse
from tracker.papers.latex import latex_to_text, text_to_latex

MAX_BYTES = 5 * 1024 * 1024
MAX_VALUE = 100_000
MAX_ENTRIES = 50_000
# Keywords kept per entry; the import refuses entries with more (see imports.check_caps).
MAX_TOPICS_PER_ENTRY = 20

__all__ = [
    "MAX_BYTES",
    "MAX_ENTRIES",
    "MAX_TOPICS_PER_ENTRY",
    "BibtexError",
    "ParsedEntry",
    "parse_bibtex",
    "parse_names",
    "write_bibtex",
]


class BibtexError(ValueError):
    """The whole file is refused (too large, not text, runaway @string expansion)."""


@dataclass
class ParsedEntry:
    index: int  # 1-based position in the file
    key: str
    entry_type: str
    line: int
    paper: dict[str, Any] | None = None
    error: str = ""
    fields: dict[str, str] = field(default_factory=dict, repr=False)
    # Distinct keywords in the entry; ``paper["topics"]`` keeps MAX_TOPICS_PER_ENTRY of them.
    topic_count: int = 0

    @property
    def ok(self) -> bool:
        return self.paper is not None


_WS = re.compile(r"\s+")


# -- the scanner ---------------------------------------------------------------

_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][\w\-]*)[ \t\r\n]*([{(])")
_KEY = re.compile(r"[ \t\r\n]*([^,\s{}()=\"#%]*)[ \t\r\n]*,?")
_FIELD_NAME = re.compile(r"([A-Za-z_][\w\-:.+]*)[ \t\r\n]*=[ \t\r\n]*")
_FAST_FIELD = re.compile(
    r"[\s,]*([A-Za-z_][\w\-:.+]*)[ \t\r\n]*=[ \t\r\n]*"
    r'(?:\{([^{}]*)\}|"([^"{}]*)"|(\d+))[ \t\r\n]*(?=[,})])'
)
_SKIP = re.compile(r"(?:[ \t\r\n,]+|%[^\n]*(?:\n|$))*")
_BRACES = re.compile(r"[{}]")
_QUOTE_SCAN = re.compile(r'[{}"]')
_NUMBER = re.compile(r"\d+")
_MACRO_NAME = re.compile(r"[A-Za-z_][\w\-:.+]*")
_CONCAT = re.compile(r"[ \t\r\n]*#[ \t\r\n]*")
_NEXT_ENTRY = re.compile(r"\n[ \t]*@")

MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}


class _Malformed(Exception):
    pass


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.macros: dict[str, str] = dict(MONTHS)
        # Total characters produced by @string references, across the whole file.
        self.budget = 4 * len(text) + 1_000_000

    def balanced(self, start: int) -> int:
        """Index just past the brace that closes the one at ``start``."""
        depth = 0
        for m in _BRACES.finditer(self.text, start):
            if m.group() == "{":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return m.end()
        raise _Malformed("unbalanced braces")

    def quoted(self, start: int) -> int:
        depth = 0
        for m in _QUOTE_SCAN.finditer(self.text, start + 1):
            c = m.group()
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth < 0:
                    raise _Malformed("unbalanced braces in a quoted value")
            elif depth == 0 and self.text[m.start() - 1] != "\\":
                return m.end()
        raise _Malformed("unterminated quoted value")

    def value(self, pos: int) -> tuple[str, int]:
        text = self.text
        parts: list[str] = []
        size = 0
        while True:
            c = text[pos : pos + 1]
            if c == "{":
                end = self.balanced(pos)
                part = text[pos + 1 : end - 1]
            elif c == '"':
                end = self.quoted(pos)
                part = text[pos + 1 : end - 1]
            elif m := _NUMBER.match(text, pos):
                end, part = m.end(), m.group()
            elif m := _MACRO_NAME.match(text, pos):
                end = m.end()
                part = self.macros.get(m.group().lower(), m.group())
                self.budget -= len(part)
                if self.budget < 0:
                    raise BibtexError(
                        "The file's @string macros expand to too much text; it was not imported."
                    )
            else:
                raise _Malformed("a field value is missing or malformed")
            size += len(part)
            if size > MAX_VALUE:
                raise _Malformed(f"a field is longer than {MAX_VALUE:,} characters")
            parts.append(part)
            pos = end
            if m := _CONCAT.match(text, pos):
                pos = m.end()
                continue
            return ("".join(parts) if len(parts) != 1 else parts[0]), pos

    def fields(self, pos: int, closer: str) -> tuple[dict[str, str], int]:
        text = self.text
        result: dict[str, str] = {}
        fast = _FAST_FIELD.match
        while True:
            # Most fields are name = {flat text} or a number: one regex, no brace walk.
            if m := fast(text, pos):
                name, braced, quoted, number = m.groups()
                value = braced if braced is not None else quoted if quoted is not None else number
                if len(value) > MAX_VALUE:
                    raise _Malformed(f"a field is longer than {MAX_VALUE:,} characters")
                result.setdefault(name.lower(), value)
                pos = m.end()
                continue
            pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]
            c = text[pos : pos + 1]
            if c == closer:
                return result, pos + 1
            if not c:
                raise _Malformed("the entry is not closed")
            m = _FIELD_NAME.match(text, pos)
            if not m:
                raise _Malformed(f"expected a field name near “{text[pos : pos + 20].strip()}”")
            name = m.group(1).lower()
            value, pos = self.value(m.end())
            result.setdefault(name, value)

    def entries(self) -> Iterator[tuple[str, str, int, dict[str, str] | str]]:
        """(type, key, line, fields or error) for each entry, in file order."""
        text = self.text
        pos = 0
        line_pos, line_no = 0, 1
        while True:
            at = text.find("@", pos)
            if at < 0:
                return
            line_start = text.rfind("\n", 0, at) + 1
            if text[line_start:at].lstrip().startswith("%"):
                nl = text.find("\n", at)
                if nl < 0:
                    return
                pos = nl + 1
                continue
            m = _ENTRY_START.match(text, at)
            if not m:
                pos = at + 1
                continue
            line_no += text.count("\n", line_pos, at)
            line_pos = at
            entry_type = m.group(1).lower()
            opener = m.group(2)
            closer = "}" if opener == "{" else ")"
            try:
                if entry_type in ("comment", "preamble"):
                    pos = self.balanced(m.end() - 1) if opener == "{" else text.find(")", at) + 1
                    if pos <= 0:
                        return
                    continue
                if entry_type == "string":
                    fields, pos = self.fields(m.end(), closer)
                    for name, value in fields.items():
                        self.macros[name] = value
                    continue
                km = _KEY.match(text, m.end())
                key, start = (km.group(1), km.end()) if km else ("", m.end())
                if _FIELD_NAME.match(text, _SKIP.match(text, m.end()).end()):  # type: ignore[union-attr]
                    key, start = "", m.end()  # an entry without a key
                fields, pos = self.fields(start, closer)
                yield entry_type, key, line_no, fields
            except _Malformed as exc:
                km = _KEY.match(text, m.end())
                key = km.group(1) if km else ""
                yield entry_type, key, line_no, str(exc)
                nxt = _NEXT_ENTRY.search(text, m.end())
                if not nxt:
                    return
                pos = nxt.end() - 1


# -- entry to paper ------------------------------------------------------------

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_TOP_SPLIT = re.compile(r"[{}]|\s+and\s+|,", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_TOPIC_SPLIT = re.compile(r"[,;]")
_ARXIV_IN_TEXT = re.compile(r"arxiv[:\s]\s*([\w./\-]+)", re.IGNORECASE)


def _split_top(raw: str, comma: bool) -> list[str]:
    """Split on " and " (or ",") outside braces."""
    quick = raw.split(",") if comma else _AND.split(raw)
    if "{" not in raw or all(p.count("{") == p.count("}") for p in quick):
        return quick  # no separator sits inside braces
    parts: list[str] = []
    depth = 0
    start = 0
    for m in _TOP_SPLIT.finditer(raw):
        s = m.group()
        if s == "{":
            depth += 1
        elif s == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and ((s == ",") == comma):
            parts.append(raw[start : m.start()])
            start = m.end()
    parts.append(raw[start:])
    return parts


def parse_names(raw: str) -> list[str]:
    """BibTeX names ("Last, First", "First Last", "{Org}") as display names "First Last"."""
    names = []
    for part in _split_top(raw.strip(), comma=False):
        part = part.strip()
        if not part or part.lower() == "others":
            continue
        pieces = [latex_to_text(p) for p in _split_top(part, comma=True)]
        if len(pieces) == 1:
            name = pieces[0]
        elif len(pieces) == 2:  # von Last, First
            name = f"{pieces[1]} {pieces[0]}"
        else:  # von Last, Jr, First
            name = f"{' '.join(pieces[2:])} {pieces[0]} {pieces[1]}"
        name = _WS.sub(" ", name).strip()
        if name:
            names.append(name[:200])
    return names


def _arxiv_from(fields: Mapping[str, str]) -> str:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    candidates: list[str] = []
    if fields.get("arxivid"):
        candidates.append(fields["arxivid"])
    if fields.get("eprint") and (not prefix or "arxiv" in prefix):
        candidates.append(fields["eprint"])
    for name in ("url", "journal", "journaltitle", "note", "number", "howpublished"):
        value = fields.get(name, "")
        if "arxiv" in value.lower():
            if name == "url":
                candidates.append(latex_to_text(value))
            candidates.extend(_ARXIV_IN_TEXT.findall(value))
    for candidate in candidates:
        result = parse(latex_to_text(candidate))
        if isinstance(result, ArxivId):
            return result.id
    return ""


def _doi_from(fields: Mapping[str, str]) -> str:
    for name in ("doi", "url"):
        value = fields.get(name)
        if value:
            result = parse(latex_to_text(value).replace(" ", ""))
            if isinstance(result, Doi):
                return result.doi
    return ""


def entry_to_paper(fields: Mapping[str, str]) -> dict[str, Any] | str:
    """The paper dict for one entry's raw fields, or why it is rejected."""
    return _entry_to_paper(fields)[0]


def _entry_to_paper(fields: Mapping[str, str]) -> tuple[dict[str, Any] | str, int]:
    """(paper dict or why it is rejected, how many distinct keywords the entry has)."""
    title = latex_to_text(fields.get("title", ""))
    if not title:
        return "no title", 0
    if len(title) > 500:
        return "the title is longer than 500 characters", 0
    year = None
    for name in ("year", "date"):
        if m := _YEAR.search(fields.get(name, "")):
            year = int(m.group(1))
            break
    venue = ""
    for name in ("journal", "journaltitle", "booktitle", "publisher"):
        if fields.get(name):
            venue = latex_to_text(fields[name])[:300]
            break
    url = latex_to_text(fields.get("url", "")).replace(" ", "")
    if not url.lower().startswith(("http://", "https://")) or len(url) > 500:
        url = ""
    topics: list[str] = []
    seen: set[str] = set()
    for raw in _TOPIC_SPLIT.split(latex_to_text(fields.get("keywords", ""))):
        topic = raw.strip()[:60]
        if topic and topic.lower() not in seen:
            seen.add(topic.lower())
            if len(topics) < MAX_TOPICS_PER_ENTRY:
                topics.append(topic)
    return {
        "title": title,
        "authors": parse_names(fields.get("author", "")),
        "year": year,
        "venue": venue,
        "abstract": latex_to_text(fields.get("abstract", "")),
        "url": url,
        "arxiv_id": _arxiv_from(fields),
        "doi": _doi_from(fields),
        "topics": topics,
    }, len(seen)


def decode(data: bytes | str) -> str:
    """Text of an uploaded file; raises BibtexError when it is too large or not text."""
    if isinstance(data, str):
        if len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise BibtexError("The file is larger than 5 MB; split it and import the parts.")
        return data
    if len(data) > MAX_BYTES:
        raise BibtexError("The file is larger than 5 MB; split it and import the parts.")
    if b"\x00" in data[:8192]:
        raise BibtexError("This is not a BibTeX text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Mendeley/JabRef exports are Latin-1; every byte decodes, so only accept
        # it when the file still looks like BibTeX.
        text = data.decode("latin-1")
        if "@" not in text:
            raise BibtexError("This is not a BibTeX text file.") from None
        return text


def parse_bibtex(data: bytes | str, max_entries: int = MAX_ENTRIES) -> list[ParsedEntry]:
    """Every entry of a BibTeX file, each parsed into a paper dict or rejected with a reason.

    Raises ``BibtexError`` when the file as a whole is refused; past ``max_entries`` it
    stops scanning at once rather than parse a file it will refuse anyway.
    """
    text = decode(data)
    results: list[ParsedEntry] = []
    for index, (entry_type, key, line, payload) in enumerate(_Scanner(text).entries(), 1):
        if index > max_entries:
            raise BibtexError(
                f"The file has more than {max_entries:,} entries; split it into files of at "
                f"most {max_entries:,} entries and import them one by one."
            )
        entry = ParsedEntry(index=index, key=key[:200], entry_type=entry_type, line=line)
        if isinstance(payload, str):
            entry.error = f"malformed entry: {payload}"
        else:
            entry.fields = payload
            paper, entry.topic_count = _entry_to_paper(payload)
            if isinstance(paper, str):
                entry.error = paper
            else:
                entry.paper = paper
        results.append(entry)
    return results


# -- writer --------------------------------------------------------------------

_KEY_CHARS = re.compile(r"[^a-z0-9]+")


def _name_to_bibtex(name: str) -> str:
    escaped = text_to_latex(name)
    if "," in name or _AND.search(f" {name} ") or name.strip().lower() == "others":
        return "{" + escaped + "}"
    return escaped


def _cite_key(paper: Mapping[str, Any], used: set[str]) -> str:
    authors = paper.get("authors") or []
    last = authors[0].split()[-1] if authors and authors[0].split() else "anon"
    first_word = next(
        (w for w in _KEY_CHARS.split(str(paper.get("title", "")).lower()) if len(w) > 3), ""
    )
    ascii_last = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode().lower()
    base = (_KEY_CHARS.sub("", ascii_last) + str(paper.get("year") or "") + first_word) or "paper"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}{n}"
    used.add(key)
    return key


def write_bibtex(papers: Iterable[Mapping[str, Any]]) -> str:
    """BibTeX for paper dicts (keys as produced by ``entry_to_paper``); re-imports losslessly."""
    out: list[str] = []
    used: set[str] = set()
    for paper in papers:
        fields: list[tuple[str, str]] = [("title", "{" + text_to_latex(paper["title"]) + "}")]
        if paper.get("authors"):
            fields.append(("author", " and ".join(_name_to_bibtex(a) for a in paper["authors"])))
        if paper.get("year"):
            fields.append(("year", str(paper["year"])))
        if paper.get("venue"):
            fields.append(("journal", text_to_latex(paper["venue"])))
        if paper.get("arxiv_id"):
            fields += [("eprint", paper["arxiv_id"]), ("archiveprefix", "arXiv")]
        if paper.get("doi"):
            fields.append(("doi", text_to_latex(paper["doi"])))
        if paper.get("url"):
            fields.append(("url", text_to_latex(paper["url"])))
        if paper.get("abstract"):
            fields.append(("abstract", text_to_latex(paper["abstract"])))
        if paper.get("topics"):
            fields.append(("keywords", text_to_latex(", ".join(paper["topics"]))))
        entry_type = "article" if paper.get("venue") else "misc"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        out.append(f"@{entry_type}{{{_cite_key(paper, used)},\n{body}\n}}\n")
    return "\n".join(out)
