import csv
import datetime as dt
import io

from django.urls import reverse

from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory
from tracker.papers.bibtex import parse_bibtex
from tracker.papers.models import Status


def test_bibtex_export_reimports_without_loss(client_logged_in, user, others_paper):
    topic = TopicFactory(owner=user, name="nlp")
    mine = PaperFactory(
        owner=user,
        title="Über {braces} & 100% $math$ -- and_more",
        authors="Łukasz Kaiser\nJosé Muñoz\nBarnes and Noble, Inc.",
        year=2017,
        venue="NeurIPS",
        arxiv_id="1706.03762",
        doi="10.1145/3442188.3445922",
        topics=[topic],
    )
    response = client_logged_in.get(reverse("papers:export_bibtex"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="paperstreak.bib"'
    (entry,) = parse_bibtex(response.content)
    assert entry.paper["title"] == mine.title
    assert entry.paper["authors"] == mine.author_list
    assert entry.paper["year"] == 2017
    assert entry.paper["venue"] == "NeurIPS"
    assert entry.paper["arxiv_id"] == "1706.03762"
    assert entry.paper["doi"] == "10.1145/3442188.3445922"
    assert entry.paper["topics"] == ["nlp"]
    assert others_paper.title not in response.content.decode()


def test_csv_export(client_logged_in, user):
    paper = PaperFactory(
        owner=user,
        title="=cmd|' /C calc'!A0",
        status=Status.READ,
        finished_on=dt.date(2026, 1, 10),
        summary="short",
    )
    ReadingSessionFactory(paper=paper, minutes=20)
    ReadingSessionFactory(paper=paper, minutes=25)
    response = client_logged_in.get(reverse("papers:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"].startswith("'=")
    assert row["finished_on"] == "2026-01-10"
    assert row["minutes"] == "45"
    assert row["explained"] == "yes"
    assert row["authors"] == "Ada Lovelace; Alan Turing"
