import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.papers.factories import PaperFactory, TopicFactory
from tracker.papers import services
from tracker.papers.models import Paper


def test_same_arxiv_id_or_doi_twice_is_refused_per_owner(user, other_user):
    PaperFactory(owner=user, arxiv_id="1706.03762", doi="10.1/abcd")
    PaperFactory(owner=other_user, arxiv_id="1706.03762", doi="10.1/abcd")
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperFactory(owner=user, arxiv_id="1706.03762")
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperFactory(owner=user, doi="10.1/abcd")
    # Blank ids never clash.
    PaperFactory(owner=user)
    PaperFactory(owner=user)


def test_add_paper_points_to_the_existing_entry(user):
    first = services.add_paper(user, {"title": "A", "arxiv_id": "1706.03762"})
    again = services.add_paper(user, {"title": "A again", "arxiv_id": "1706.03762"})
    assert again == first
    assert Paper.objects.count() == 1


def test_understanding_and_depth_are_bounded_in_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperFactory(owner=user, understanding=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperFactory(owner=user, depth=4)


def test_only_one_focus_topic(user):
    TopicFactory(owner=user, is_focus=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFactory(owner=user, is_focus=True)


def test_mark_read_logs_a_session_and_keeps_start_before_finish(user):
    paper = PaperFactory(owner=user, started_on=dt.date(2026, 2, 1))
    services.mark_read(paper, finished_on=dt.date(2026, 1, 20), minutes=30, depth=3)
    paper.refresh_from_db()
    assert paper.started_on == dt.date(2026, 1, 20)
    assert paper.sessions.get().minutes == 30
    assert paper.depth == 3
    assert not paper.explained


def test_new_to_read_papers_go_to_the_end_of_the_queue(user):
    a = services.add_paper(user, {"title": "A"})
    b = services.add_paper(user, {"title": "B"})
    assert list(Paper.objects.up_next(user)) == [a, b]


def test_str_and_links(user):
    paper = PaperFactory(owner=user, title="T", arxiv_id="1706.03762", url="")
    assert str(paper) == "T"
    assert paper.link == "https://arxiv.org/abs/1706.03762"
    assert paper.get_absolute_url() == f"/papers/{paper.pk}/"
