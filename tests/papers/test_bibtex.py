import csv
import io
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.papers.bibtex import (
    MAX_BYTES,
    BibtexError,
    parse_bibtex,
    parse_names,
    write_bibtex,
)
from tracker.papers.export import csv_rows, write_csv
from tracker.papers.latex import latex_to_text, text_to_latex

BIB = Path(__file__).parent / "bib"


def by_key(entries):
    return {e.key: e for e in entries}


def test_zotero_better_bibtex_export():
    entries = parse_bibtex((BIB / "zotero_bbt.bib").read_bytes())
    assert [e.key for e in entries] == [
        "vaswaniAttentionAllYou2017",
        "schonTachyon1999",
        "notitle2020",
    ]
    vaswani = by_key(entries)["vaswaniAttentionAllYou2017"].paper
    assert vaswani["title"] == "Attention Is All You Need"
    assert vaswani["authors"][0] == "Ashish Vaswani"
    assert vaswani["authors"][6] == "Łukasz Kaiser"
    assert len(vaswani["authors"]) == 8
    assert vaswani["year"] == 2017
    assert vaswani["venue"] == "Advances in Neural Information Processing Systems"
    assert vaswani["arxiv_id"] == "1706.03762"
    assert vaswani["doi"] == ""
    assert vaswani["topics"] == [
        "Computer Science - Computation and Language",
        "Computer Science - Machine Learning",
        "transformers",
    ]
    assert vaswani["abstract"].startswith("The dominant sequence")


def test_latex_accents_and_escapes_in_fields():
    entries = by_key(parse_bibtex((BIB / "zotero_bbt.bib").read_bytes()))
    schon = entries["schonTachyon1999"].paper
    assert schon["title"] == "Tachyon Condensation in Type II String Theory & Friends"
    assert schon["authors"] == [
        "Jürgen Schön",
        "M. Gošnik",
        "K. Straßer",
        "José Muñoz",
        "François Émile",
    ]
    assert schon["doi"] == "10.1016/s0370-2693(99)00123-4"
    assert schon["url"] == "https://doi.org/10.1016/S0370-2693(99)00123-4"
    assert schon["venue"] == "Phys. Lett. B"


def test_entry_without_title_is_rejected_with_reason():
    entries = by_key(parse_bibtex((BIB / "zotero_bbt.bib").read_bytes()))
    assert entries["notitle2020"].paper is None
    assert entries["notitle2020"].error == "no title"


def test_commented_entries_are_skipped():
    text = (BIB / "zotero_bbt.bib").read_text()
    assert "commented_out" not in [e.key for e in parse_bibtex(text)]


def test_mendeley_export():
    entries = by_key(parse_bibtex((BIB / "mendeley.bib").read_bytes()))
    he = entries["He2016"].paper
    assert he["title"] == "Deep residual learning for image recognition"
    assert he["arxiv_id"] == "1512.03385"
    assert he["doi"] == "10.1109/cvpr.2016.90"
    assert he["topics"] == ["vision", "resnet"]
    assert he["authors"] == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]
    kingma = entries["Kingma2014"].paper
    assert kingma["arxiv_id"] == "1412.6980"
    assert kingma["url"] == "http://arxiv.org/abs/1412.6980"
    assert kingma["year"] == 2014


def test_jabref_export_with_macros_concat_and_recovery():
    entries = parse_bibtex((BIB / "jabref.bib").read_bytes())
    keyed = by_key(entries)
    dropout = keyed["Srivastava2014"].paper
    assert dropout["venue"] == "Journal of Machine Learning Research"
    assert dropout["year"] == 2014
    assert dropout["authors"][1] == "Geoffrey Hinton"
    gan = keyed["Goodfellow2014"].paper
    assert gan["title"] == "Generative Adversarial Nets — a GAN story"
    assert gan["venue"] == "Machine Learning Conference"
    assert gan["year"] == 2014
    assert gan["arxiv_id"] == "1406.2661"
    assert gan["authors"] == ["Ian Goodfellow", "Jean Pouget-Abadie"]
    assert keyed["broken"].paper is None
    assert keyed["broken"].error.startswith("malformed entry")
    assert keyed["after_broken"].paper["title"] == "Still parsed after a broken entry"
    assert [e.index for e in entries] == list(range(1, len(entries) + 1))


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (r"{\"o}", "ö"),
        (r"\"{o}", "ö"),
        (r"\"o", "ö"),
        (r"{\v s}", "š"),
        (r"\v{S}", "Š"),
        (r"\'e", "é"),
        (r"\'{\i}", "í"),
        (r"{\ss}", "ß"),
        (r"Stra\ss e", "Straße"),
        (r"\c{c}", "ç"),
        (r"\&", "&"),
        (r"50\%", "50%"),
        (r"\_", "_"),
        ("pages 1--2", "pages 1\u20132"),
        ("a --- b", "a — b"),
        ("``quoted''", "“quoted”"),
        ("non~breaking", "non breaking"),
        (r"\emph{Deep} \textbf{learning}", "Deep learning"),
        ("{{BERT}}: pre-training", "BERT: pre-training"),
        ("  spread\n   over\tlines ", "spread over lines"),
        (r"$O(n^2)$ time", "$O(n^2)$ time"),
        (r"\textbackslash{}n", "\\n"),
        (r"\{braces\}", "{braces}"),
        (r"{\o}ystein {\AA}se", "øystein Åse"),
        (r"\L{}ukasz", "Łukasz"),
        ("plain", "plain"),
    ],
)
def test_latex_to_text(raw, text):
    assert latex_to_text(raw) == text


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Vaswani, Ashish and Shazeer, Noam", ["Ashish Vaswani", "Noam Shazeer"]),
        ("Ashish Vaswani AND Noam Shazeer", ["Ashish Vaswani", "Noam Shazeer"]),
        ("{World Health Organization} and others", ["World Health Organization"]),
        ("{Barnes and Noble, Inc.}", ["Barnes and Noble, Inc."]),
        ("van der Maaten, Laurens", ["Laurens van der Maaten"]),
        ("King, Jr, Martin Luther", ["Martin Luther King Jr"]),
        ('Sch{\\"o}n, J.', ["J. Schön"]),
        ("Anderson, A.", ["A. Anderson"]),
        ("", []),
    ],
)
def test_parse_names(raw, names):
    assert parse_names(raw) == names


def test_parentheses_entries_and_quoted_values():
    text = '@article(key1, title = "A {"}quoted{"} title", year = "2020")'
    (entry,) = parse_bibtex(text)
    assert entry.paper["title"] == 'A "quoted" title'
    assert entry.paper["year"] == 2020


def test_entry_without_key():
    (entry,) = parse_bibtex("@misc{title = {Keyless}, year = 2001}")
    assert entry.key == ""
    assert entry.paper["title"] == "Keyless"


def test_preamble_is_ignored():
    text = '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n@misc{a, title={T}}'
    assert [e.key for e in parse_bibtex(text)] == ["a"]


def test_unknown_macro_is_kept_as_text():
    (entry,) = parse_bibtex("@misc{a, title = {T}, journal = nips}")
    assert entry.paper["venue"] == "nips"


def test_month_macros():
    (entry,) = parse_bibtex("@misc{a, title = {T}, note = jan # {~1}}")
    assert entry.fields["note"] == "January~1"


def test_file_over_5_mb_is_refused():
    with pytest.raises(BibtexError, match="5 MB"):
        parse_bibtex(b"%" * (MAX_BYTES + 1))


def test_binary_file_is_refused():
    with pytest.raises(BibtexError, match="not a BibTeX"):
        parse_bibtex(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_latin1_file_is_read():
    (entry,) = parse_bibtex("@misc{a, title = {Schön}}".encode("latin-1"))
    assert entry.paper["title"] == "Schön"


def test_string_expansion_is_bounded():
    # Each macro quadruples the previous one: unbounded it would need ~4**20 characters.
    lines = ['@string{a0 = "xxxxxxxxxx"}']
    for i in range(1, 21):
        p = f"a{i - 1}"
        lines.append(f"@string{{a{i} = {p} # {p} # {p} # {p}}}")
    lines.append("@misc{boom, title = a20}")
    entries = parse_bibtex("\n".join(lines))
    # The first macro over the field limit is refused; later ones cannot build on it.
    assert any("longer than" in e.error for e in entries if e.entry_type == "string")
    assert all(len(e.paper["title"]) <= 100_000 for e in entries if e.ok)


def test_many_references_to_a_big_macro_hit_the_budget():
    text = "@string{big = {" + "x" * 90_000 + "}}\n"
    text += "\n".join(f"@misc{{k{i}, title = big # big}}" for i in range(20))
    with pytest.raises(BibtexError, match="expand"):
        parse_bibtex(text)


def test_overlong_field_rejects_only_that_entry():
    text = "@misc{big, title = {" + "x" * 200_000 + "}}\n@misc{ok, title = {Fine}}"
    entries = by_key(parse_bibtex(text))
    assert "longer than" in entries["big"].error
    assert entries["ok"].ok


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data):
    try:
        entries = parse_bibtex(data)
    except BibtexError:
        return
    for entry in entries:
        assert entry.ok or entry.error


@given(st.text(max_size=2000))
def test_arbitrary_text_never_crashes(text):
    for entry in parse_bibtex("@misc{k, title = {" + text + "}}\n" + text):
        assert entry.ok or entry.error


# -- round trips ---------------------------------------------------------------

_text = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@given(_text)
def test_text_escaping_round_trips(text):
    assert latex_to_text(text_to_latex(text)) == text


_name = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Z")), min_size=1, max_size=12),
    min_size=1,
    max_size=3,
).map(" ".join)

papers = st.fixed_dictionaries(
    {
        "title": _text,
        "authors": st.lists(_name, max_size=5),
        "year": st.one_of(st.none(), st.integers(1900, 2100)),
        "venue": st.one_of(st.just(""), _text),
        "arxiv_id": st.sampled_from(["", "1706.03762", "hep-th/9901001", "1412.6980"]),
        "doi": st.sampled_from(["", "10.1145/3442188.3445922", "10.1016/s0370-2693(99)00123-4"]),
    }
)


@given(st.lists(papers, max_size=5))
def test_export_reimports_without_loss(paper_list):
    entries = parse_bibtex(write_bibtex(paper_list))
    assert len(entries) == len(paper_list)
    for original, entry in zip(paper_list, entries, strict=True):
        assert entry.ok, entry.error
        got = entry.paper
        for key in ("title", "year", "venue", "arxiv_id", "doi"):
            assert got[key] == (original[key] or ("" if key != "year" else None)), key
        assert got["authors"] == [" ".join(a.split()) for a in original["authors"]]


def test_export_keeps_abstract_url_topics_and_unique_keys():
    paper = {
        "title": "Attention Is All You Need",
        "authors": ["Ashish Vaswani", "Łukasz Kaiser"],
        "year": 2017,
        "venue": "NeurIPS",
        "abstract": "100% attention & no recurrence",
        "url": "https://arxiv.org/abs/1706.03762",
        "arxiv_id": "1706.03762",
        "doi": "",
        "topics": ["transformers", "nlp"],
    }
    text = write_bibtex([paper, paper])
    assert text.count("@article{vaswani2017attention,") == 1
    assert "@article{vaswani2017attention2," in text
    first = parse_bibtex(text)[0].paper
    assert first == paper
    # bibtexparser reads our export too.
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == 2
    assert not library.failed_blocks


def test_csv_export_has_header_and_defuses_formulas():
    rows = list(
        csv.reader(
            io.StringIO(
                write_csv(
                    [
                        {
                            "title": '=HYPERLINK("http://evil")',
                            "authors": ["A B", "C D"],
                            "year": 2020,
                            "explained": True,
                            "topics": ["x", "y"],
                        }
                    ]
                )
            )
        )
    )
    header, row = rows
    assert header[0] == "title"
    values = dict(zip(header, row, strict=True))
    assert values["title"] == '\'=HYPERLINK("http://evil")'
    assert values["authors"] == "A B; C D"
    assert values["year"] == "2020"
    assert values["explained"] == "yes"
    assert values["topics"] == "x; y"
    assert values["doi"] == ""
    assert next(csv_rows([])) == header
