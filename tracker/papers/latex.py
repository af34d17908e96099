"""The LaTeX codec of BibTeX field values: ``latex_to_text`` and its inverse ``text_to_latex``.

Covers what Zotero (Better BibTeX), Mendeley and JabRef write: accents in every brace
style, escaped specials, named symbols, dashes, quotes, ``~`` and protective braces.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["latex_to_text", "text_to_latex"]


_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
    "d": "\u0323",
    "r": "\u030a",
    "t": "\u0361",
}
_WORDS = {
    "ss": "ß",
    "SS": "SS",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "\u0131",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "textendash": "\u2013",
    "textemdash": "—",
    "textquoteleft": "\u2018",
    "textquoteright": "\u2019",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textasciigrave": "`",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textdollar": "$",
    "textsterling": "£",
    "texteuro": "€",
    "textdegree": "°",
    "copyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "S": "§",
    "P": "¶",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "guillemotleft": "«",
    "guillemotright": "»",
    "quad": " ",
    "qquad": " ",
    "par": " ",
    "newline": " ",
}
_SYMBOLS = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    ",": " ",
    ";": " ",
    ":": " ",
    "!": "",
    "-": "",
    "/": "",
    "@": "",
    "\\": " ",
}
_LATEX_TOKEN = re.compile(
    r"""
    (?P<math>(?<!\\)\$[^$]*\$)
  | \\(?P<acc>['"`^~=.])\s*(?:\{\s*(?P<accb>\\[ij](?![A-Za-z])|[A-Za-z]?)\s*\}
                            |(?P<accl>\\[ij](?![A-Za-z])|[A-Za-z]))
  | \\(?P<lacc>[uvHckbdrt])(?:\s*\{\s*(?P<laccb>\\[ij](?![A-Za-z])|[A-Za-z]?)\s*\}
                              |\s+(?P<laccl>[A-Za-z]))
  | \\(?P<word>[A-Za-z]+)\*?[ \t\r\n]*
  | \\(?P<sym>[&%$\#_{}\ ,;:!\-/@\\])
    """,
    re.VERBOSE,
)
# Characters that the later passes (dashes, quotes, ~, braces) would change are parked
# in the private use area while commands and math are expanded, then put back.
_SPECIAL = "{}~-`'"
_PARK = {ord(c): chr(0xE000 + i) for i, c in enumerate(_SPECIAL)}
_UNPARK_PAIRS = [(chr(0xE000 + i), c) for i, c in enumerate(_SPECIAL)]


def _latex_sub(m: re.Match[str]) -> str:
    kind = m.lastgroup
    if kind == "word":
        # Unknown commands (\emph, \textit, \url...) vanish and leave their argument.
        return _WORDS.get(m.group("word"), "").translate(_PARK)
    if kind == "sym":
        return _SYMBOLS[m.group("sym")].translate(_PARK)
    if kind == "math":
        return m.group("math").translate(_PARK)
    accent = m.group("acc") or m.group("lacc")
    base = m.group("accb") or m.group("accl") or m.group("laccb") or m.group("laccl") or ""
    if base in ("\\i", "\\j"):
        base = base[1]
    if not base:
        return accent.translate(_PARK) if m.group("acc") else ""
    return unicodedata.normalize("NFC", base + _COMBINING[accent])


def latex_to_text(raw: str) -> str:
    """Plain Unicode text for a BibTeX field value: accents, escapes, braces, dashes."""
    parked = False
    if "\\" in raw or "$" in raw:
        raw = _LATEX_TOKEN.sub(_latex_sub, raw)
        parked = True
    if "--" in raw:
        raw = raw.replace("---", "\u2014").replace("--", "\u2013")
    if "``" in raw or "''" in raw:
        raw = raw.replace("``", "\u201c").replace("''", "\u201d")
    if "~" in raw:
        raw = raw.replace("~", " ")
    if "{" in raw:
        raw = raw.replace("{", "")
    if "}" in raw:
        raw = raw.replace("}", "")
    if parked:  # str.replace is much faster than str.translate on long abstracts
        for parked_char, original in _UNPARK_PAIRS:
            if parked_char in raw:
                raw = raw.replace(parked_char, original)
    return " ".join(raw.split())


_ENCODE = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX balances braces without looking at backslashes.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
}
_ENCODE_RE = re.compile(r"[\\{}&%$#_~]|-(?=-)|`(?=`)|'(?=')|\s+")


def _encode_sub(m: re.Match[str]) -> str:
    s = m.group(0)
    if s in _ENCODE:
        return _ENCODE[s]
    if s in "-`'":
        return s + "{}"  # "--" would come back as an en dash, "``" as a quote
    return " "


def text_to_latex(text: str) -> str:
    """Escape text so that ``latex_to_text`` gives it back (with whitespace collapsed)."""
    return _ENCODE_RE.sub(_encode_sub, text.strip())
