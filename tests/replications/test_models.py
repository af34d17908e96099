import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from tests.replications.factories import ClaimFactory, ReplicationFactory, make_paper
from tracker.replications.models import ClaimResult, Replication, ReplicationStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 20)


def test_owned_by_done_active(user, other_user):
    done = ReplicationFactory(owner=user, status=ReplicationStatus.DONE, finished_on=TODAY)
    active = ReplicationFactory(owner=user, status=ReplicationStatus.IN_PROGRESS)
    ReplicationFactory(owner=user, status=ReplicationStatus.PLANNED)
    ReplicationFactory(owner=user, status=ReplicationStatus.ABANDONED)
    ReplicationFactory(owner=other_user, status=ReplicationStatus.DONE)
    mine = Replication.objects.owned_by(user)
    assert mine.count() == 4
    assert list(mine.done()) == [done]
    assert list(mine.active()) == [active]
    assert Replication.objects.done().count() == 2


def test_stalled_means_in_progress_and_untouched_for_weeks(user):
    berlin = ZoneInfo("Europe/Berlin")
    stale = ReplicationFactory(owner=user)
    fresh = ReplicationFactory(owner=user)
    stale_done = ReplicationFactory(owner=user, status=ReplicationStatus.DONE)
    before_cutoff = dt.datetime(2025, 2, 26, 22, 59, tzinfo=dt.UTC)  # 26 Feb 23:59 Berlin
    Replication.objects.filter(pk__in=[stale.pk, stale_done.pk]).update(updated_at=before_cutoff)
    Replication.objects.filter(pk=fresh.pk).update(
        updated_at=dt.datetime(2025, 2, 26, 23, 0, tzinfo=dt.UTC)
    )
    assert list(Replication.objects.owned_by(user).stalled(TODAY, tz=berlin)) == [stale]
    assert list(Replication.objects.owned_by(user).stalled(TODAY, weeks=5, tz=berlin)) == []
    # In UTC the cut-off is an hour later, so both old rows fall before it.
    assert set(Replication.objects.owned_by(user).stalled(TODAY)) == {stale, fresh}


def test_changing_a_claim_touches_the_replication(user):
    replication = ReplicationFactory(owner=user)
    Replication.objects.filter(pk=replication.pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    from tracker.replications.views import add_claim

    add_claim(replication, text="It works", result=ClaimResult.REPRODUCED, note="")
    assert not Replication.objects.stalled(TODAY).filter(pk=replication.pk).exists()


def test_one_replication_per_paper(user):
    paper = make_paper(user)
    ReplicationFactory(owner=user, paper=paper)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplicationFactory(owner=user, paper=paper)


def test_claim_summary_and_annotation(user):
    replication = ReplicationFactory(owner=user)
    ClaimFactory(replication=replication, result=ClaimResult.REPRODUCED)
    ClaimFactory(replication=replication, result=ClaimResult.REPRODUCED)
    ClaimFactory(replication=replication, result=ClaimResult.PARTLY)
    ClaimFactory(replication=replication, result=ClaimResult.NOT_REPRODUCED)
    summary = replication.claim_summary()
    assert summary == {
        "total": 4,
        "pending": 0,
        "reproduced": 2,
        "partly": 1,
        "not_reproduced": 1,
    }
    annotated = Replication.objects.with_claim_counts().get(pk=replication.pk)
    assert (annotated.claim_total, annotated.claim_reproduced) == (4, 2)


def test_metric_delta(user):
    replication = ReplicationFactory(owner=user, paper_value=0.9, my_mean=0.85)
    assert replication.metric_delta == pytest.approx(-0.05)
    assert ReplicationFactory(owner=user, my_mean=1.0).metric_delta is None
    assert str(replication).startswith("Replication of ")


def test_negative_std_is_rejected_by_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplicationFactory(owner=user, my_std=-1)
