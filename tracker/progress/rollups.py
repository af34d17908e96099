"""Keep the per-day and per-week rollups (:mod:`tracker.progress.models`) in step.

Every write to something the cards count — a paper, a reading session, a replication, a
project, a counter event, an expert conversation — recomputes the rollup rows of the days
it touched (its old and its new dates) from the rows themselves, with the same queries
that define the metrics (:func:`tracker.progress.queries.activity_parts`), and then the
rows of those days' weeks.
It runs in the writer's transaction (a savepoint inside it), so the rollups commit or roll
back with the write. Recomputing instead of adding deltas means an edit can never leave a
rollup off by one: whatever the write did, the touched days equal a fresh count.

The wiring is explicit and in one place, :func:`connect`, called from the progress app's
``ready()``: ``pre_save`` notes the dates a row had, ``post_save``/``post_delete``
refresh the days. Writes that bypass model signals must call :func:`refresh` (or
:func:`rebuild`) themselves: ``bulk_create`` (``seed_demo`` rebuilds at its end) and raw
SQL. The BibTeX import's raw INSERT only creates unread, unfinished papers, which count
nothing, so it needs no call. ``manage.py rebuild_rollups [--user EMAIL]`` recomputes
everything from scratch.

:func:`deferred` batches: inside it the handlers only collect days, refreshed once at
its end (a bulk delete of hundreds of papers would otherwise refresh once per row).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

from tracker.goals.models import CounterEvent, Goal, Metric
from tracker.niche.models import Contact, Interaction
from tracker.papers.models import Paper, ReadingSession
from tracker.progress.models import COLUMNS, DayRollup, WeekRollup
from tracker.progress.queries import activity_parts
from tracker.projects.models import Project
from tracker.replications.models import Replication
from tracker.weeks import week_start_date

logger = logging.getLogger(__name__)

# Metric -> index into COLUMNS.
_COLUMN = {m.value: COLUMNS.index(m.value) for m in Metric if m != Metric.CUSTOM}
_COUNTER = COLUMNS.index("counter")

Key = tuple[dt.date, int | None]  # (day or week, goal id of a counter row or None)


def _source_amounts(owner_id: int, days: Collection[dt.date] | None) -> dict[Key, list[int]]:
    """Per-day amounts of every metric, counted from the rows (only ``days`` if given)."""
    parts = activity_parts(owner_id, dt.date.min, days)
    union = parts[0].union(*parts[1:], all=True).order_by()
    out: dict[Key, list[int]] = {}
    for day, metric, goal_id, amount in union:
        if isinstance(day, dt.datetime):
            day = day.date()
        if not amount:
            continue
        if metric == Metric.CUSTOM:
            key: Key = (day, goal_id)
            column = _COUNTER
        else:
            key = (day, None)
            column = _COLUMN[metric]
        row = out.setdefault(key, [0] * len(COLUMNS))
        row[column] += amount
    return out


def _amounts(values: Iterable[int]) -> dict[str, int]:
    return dict(zip(COLUMNS, values, strict=True))


def _week_start_of(owner_id: int, lock: bool) -> int | None:
    """The owner's week start, locking their row so two writers refresh one at a time."""
    users = get_user_model().objects.filter(pk=owner_id)
    if lock:
        users = users.select_for_update()
    return users.values_list("week_start", flat=True).first()


def refresh(owner_id: int, days: Iterable[dt.date]) -> None:
    """Recompute the owner's rollups of ``days`` and of the weeks holding them."""
    wanted = {d for d in days if d is not None}
    if not wanted:
        return
    with transaction.atomic():
        week_start = _week_start_of(owner_id, lock=True)
        if week_start is None:  # the user is being deleted
            return
        amounts = _source_amounts(owner_id, wanted)
        DayRollup.objects.filter(owner_id=owner_id, day__in=wanted).delete()
        DayRollup.objects.bulk_create(
            DayRollup(owner_id=owner_id, day=day, goal_id=goal, **_amounts(values))
            for (day, goal), values in amounts.items()
        )
        _refresh_weeks(owner_id, week_start, {week_start_date(d, week_start) for d in wanted})


def _refresh_weeks(owner_id: int, week_start: int, weeks: set[dt.date] | None) -> None:
    """Sum the day rows into week rows (all weeks when ``weeks`` is None)."""
    days = DayRollup.objects.filter(owner_id=owner_id)
    stale = WeekRollup.objects.filter(owner_id=owner_id)
    if weeks is not None:
        days = days.filter(day__gte=min(weeks), day__lte=max(weeks) + dt.timedelta(days=6))
        stale = stale.filter(week__in=weeks)
    sums: dict[Key, list[int]] = {}
    for day, goal, *values in days.values_list("day", "goal_id", *COLUMNS):
        week = week_start_date(day, week_start)
        if weeks is not None and week not in weeks:
            continue
        row = sums.setdefault((week, goal), [0] * len(COLUMNS))
        for i, n in enumerate(values):
            row[i] += n
    stale.delete()
    WeekRollup.objects.bulk_create(
        WeekRollup(owner_id=owner_id, week_start=week_start, week=week, goal_id=goal, **_amounts(v))
        for (week, goal), v in sums.items()
    )


def rebuild(owner_id: int) -> None:
    """Recompute every rollup row of one user from scratch."""
    with transaction.atomic():
        week_start = _week_start_of(owner_id, lock=True)
        if week_start is None:
            return
        DayRollup.objects.filter(owner_id=owner_id).delete()
        DayRollup.objects.bulk_create(
            (
                DayRollup(owner_id=owner_id, day=day, goal_id=goal, **_amounts(values))
                for (day, goal), values in _source_amounts(owner_id, None).items()
            ),
            batch_size=500,
        )
        _refresh_weeks(owner_id, week_start, None)


def rebuild_weeks(owner_id: int) -> None:
    """Re-sum the week rows from the day rows (after the user changed their week start)."""
    with transaction.atomic():
        week_start = _week_start_of(owner_id, lock=True)
        if week_start is not None:
            _refresh_weeks(owner_id, week_start, None)


# --- batching ----------------------------------------------------------------------------

_local = threading.local()


def _pending() -> dict[int, set[dt.date]] | None:
    return getattr(_local, "pending", None)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Skip maintenance inside; the caller rebuilds the users it wrote for afterwards."""
    before = getattr(_local, "paused", False)
    _local.paused = True
    try:
        yield
    finally:
        _local.paused = before


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Collect the days the writes inside touch; refresh them once, at the end."""
    outer = _pending()
    if outer is not None:  # already batching: the outermost block refreshes
        yield
        return
    pending: defaultdict[int, set[dt.date]] = defaultdict(set)
    _local.pending = pending
    try:
        yield
    finally:
        _local.pending = None
    for owner_id, days in pending.items():
        refresh(owner_id, days)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value  # type: ignore[no-any-return]


def _touch(owner_id: int | None, days: Iterable[dt.date | None]) -> None:
    if owner_id is None or getattr(_local, "paused", False):
        return
    # An unsaved-looking value ("2026-01-05", as a form or a test may assign) is a date.
    wanted = {_as_date(d) for d in days if d is not None}
    pending = _pending()
    if pending is not None:
        pending[owner_id] |= wanted
    else:
        refresh(owner_id, wanted)


# --- what each model touches -------------------------------------------------------------
# (owner id, days) of one row; ``values`` are its field values (from the instance, or from
# the database for the row as it was before a save).


def _paper(v: dict[str, Any]) -> tuple[int | None, list[Any]]:
    return v["owner_id"], [v["finished_on"]]


def _replication(v: dict[str, Any]) -> tuple[int | None, list[Any]]:
    return v["owner_id"], [v["finished_on"]]


def _project(v: dict[str, Any]) -> tuple[int | None, list[Any]]:
    return v["owner_id"], [v["started_on"], v["finished_on"], v["writeup_published_on"]]


def _session(v: dict[str, Any]) -> tuple[int | None, list[Any]]:
    owner = Paper.objects.filter(pk=v["paper_id"]).values_list("owner_id", flat=True).first()
    return owner, [v["date"]]


def _event(v: dict[str, Any]) -> tuple[int | None, list[Any]]:
    owner = Goal.objects.filter(pk=v["goal_id"]).values_list("owner_id", flat=True).first()
    return owner, [v["date"]]


def _interaction(v: dict[str, Any]) -> tuple[int | None, list[Any]]:
    owner = Contact.objects.filter(pk=v["contact_id"]).values_list("owner_id", flat=True).first()
    return owner, [v["date"]]


TRACKED: dict[type[Model], tuple[tuple[str, ...], Any]] = {
    Paper: (("owner_id", "finished_on"), _paper),
    Replication: (("owner_id", "finished_on"), _replication),
    Project: (("owner_id", "started_on", "finished_on", "writeup_published_on"), _project),
    ReadingSession: (("paper_id", "date"), _session),
    CounterEvent: (("goal_id", "date"), _event),
    Interaction: (("contact_id", "date"), _interaction),
}


def _values(instance: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(instance, f) for f in fields}


def _before_save(sender: type[Model], instance: Model, raw: bool = False, **kw: Any) -> None:
    fields, _ = TRACKED[sender]
    old = None
    if instance.pk is not None and not raw and not getattr(_local, "paused", False):
        old = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    instance._rollup_before = old  # type: ignore[attr-defined]


def _after_save(sender: type[Model], instance: Model, raw: bool = False, **kw: Any) -> None:
    if raw:  # loaddata: rebuild_rollups afterwards
        return
    fields, touched = TRACKED[sender]
    owner, days = touched(_values(instance, fields))
    old = getattr(instance, "_rollup_before", None)
    if old is not None:
        old_owner, old_days = touched(old)
        if old_owner != owner:
            _touch(old_owner, old_days)
        else:
            days = [*days, *old_days]
    _touch(owner, days)


def _after_delete(sender: type[Model], instance: Model, origin: Any = None, **kw: Any) -> None:
    origin_model = type(origin) if isinstance(origin, Model) else getattr(origin, "model", None)
    # The user's rows go with the user; a goal's counter rows go with the goal (CASCADE).
    if origin_model is get_user_model() or (sender is CounterEvent and origin_model is Goal):
        return
    fields, touched = TRACKED[sender]
    owner, days = touched(_values(instance, fields))
    _touch(owner, days)


def _week_start_before(sender: Any, instance: Any, update_fields: Any = None, **kw: Any) -> None:
    instance._rollup_week_start = None
    if instance.pk is None or (update_fields is not None and "week_start" not in update_fields):
        return
    instance._rollup_week_start = (
        sender._default_manager.filter(pk=instance.pk).values_list("week_start", flat=True).first()
    )


def _week_start_after(sender: Any, instance: Any, created: bool = False, **kw: Any) -> None:
    before = getattr(instance, "_rollup_week_start", None)
    if before is not None and before != instance.week_start:
        rebuild_weeks(instance.pk)


def connect() -> None:
    """Wire the handlers (called once, from ProgressConfig.ready)."""
    for model in TRACKED:
        uid = f"rollups:{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    user = get_user_model()
    pre_save.connect(_week_start_before, sender=user, dispatch_uid="rollups:week_start")
    post_save.connect(_week_start_after, sender=user, dispatch_uid="rollups:week_start")
