import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from tests.projects.factories import ProjectFactory, WorkSessionFactory
from tracker.projects.models import (
    CHECKLIST_FIELDS,
    Project,
    ProjectKind,
    ProjectStatus,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 20)


def test_checklist_score_counts_ticked_items(user):
    project = ProjectFactory(owner=user)
    assert project.checklist_score == 0
    assert project.checklist_size == 8
    project.has_readme = project.has_eda = project.has_writeup = True
    assert project.checklist_score == 3
    for name in CHECKLIST_FIELDS:
        setattr(project, name, True)
    assert project.checklist_score == 8


def test_set_checklist_item_records_writeup_date_and_reports_change(user):
    project = ProjectFactory(owner=user)
    assert project.set_checklist_item("has_writeup", True, TODAY) is True
    project.refresh_from_db()
    assert project.has_writeup and project.writeup_published_on == TODAY
    assert project.set_checklist_item("has_writeup", True, TODAY) is False
    project.set_checklist_item("has_writeup", False, TODAY)
    project.refresh_from_db()
    assert not project.has_writeup and project.writeup_published_on is None


def test_set_checklist_item_rejects_unknown_names(user):
    project = ProjectFactory(owner=user)
    with pytest.raises(ValueError):
        project.set_checklist_item("title", True, TODAY)


def test_owned_by_completed_active_and_competitions(user, other_user):
    done = ProjectFactory(owner=user, status=ProjectStatus.DONE, finished_on=TODAY)
    active = ProjectFactory(owner=user, status=ProjectStatus.ACTIVE)
    ProjectFactory(owner=user, status=ProjectStatus.SHELVED)
    comp = ProjectFactory(owner=user, kind=ProjectKind.COMPETITION, status=ProjectStatus.DONE)
    ProjectFactory(owner=user, kind=ProjectKind.COMPETITION, status=ProjectStatus.IDEA)
    ProjectFactory(owner=other_user, status=ProjectStatus.DONE)

    mine = Project.objects.owned_by(user)
    assert mine.count() == 5
    assert set(mine.completed()) == {done, comp}
    assert set(mine.completed().projects()) == {done}
    assert set(mine.active()) == {active}
    # An idea for a competition is not a competition entered.
    assert set(mine.competitions()) == {comp}


def test_writeups_published(user):
    published = ProjectFactory(owner=user, has_writeup=True)
    ProjectFactory(owner=user)
    assert list(Project.objects.owned_by(user).writeups_published()) == [published]


def test_stalled_means_active_and_untouched_for_weeks(user):
    berlin = ZoneInfo("Europe/Berlin")
    stale = ProjectFactory(owner=user)
    fresh = ProjectFactory(owner=user)
    stale_but_done = ProjectFactory(owner=user, status=ProjectStatus.DONE)
    old = dt.datetime(2025, 2, 26, 22, 0, tzinfo=dt.UTC)  # 23:00 on 26 Feb in Berlin
    Project.objects.filter(pk__in=[stale.pk, stale_but_done.pk]).update(updated_at=old)
    # Exactly on the cut-off day (27 Feb local) counts as recent.
    Project.objects.filter(pk=fresh.pk).update(
        updated_at=dt.datetime(2025, 2, 26, 23, 30, tzinfo=dt.UTC)
    )
    stalled = Project.objects.owned_by(user).stalled(TODAY, weeks=3, tz=berlin)
    assert list(stalled) == [stale]
    assert list(Project.objects.owned_by(user).stalled(TODAY, weeks=4, tz=berlin)) == []


def test_logging_a_session_is_recent_activity(user):
    project = ProjectFactory(owner=user)
    Project.objects.filter(pk=project.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    from tracker.projects.views import log_work_session

    log_work_session(project, date=TODAY, minutes=30, note="")
    assert not Project.objects.stalled(TODAY).filter(pk=project.pk).exists()


def test_percentile_outside_0_100_is_rejected_by_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(owner=user, kind=ProjectKind.COMPETITION, leaderboard_percentile=101)


def test_total_minutes_and_dataset_list(user):
    project = ProjectFactory(owner=user, datasets="CIFAR-10\n\n  SVHN  \n")
    WorkSessionFactory(project=project, minutes=30)
    WorkSessionFactory(project=project, minutes=15)
    assert project.total_minutes() == 45
    assert project.dataset_list() == ["CIFAR-10", "SVHN"]
    assert str(project) == project.title
    assert project.get_absolute_url() == f"/projects/{project.pk}/"
