"""The iCalendar document of a user's feed (the ``icalendar`` package).

What it holds, and nothing more (P1: no notes, summaries, descriptions or paper titles):
the weekly reading block at the user's reminder slot (2 h, RRULE weekly, in their own
TZID with its VTIMEZONE), each active goal's deadline (titled with the goal's name),
and each planned break week.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from django.utils import timezone

from tracker.goals.models import Goal, WeekBreak
from tracker.projects.models import Project, ProjectKind, ProjectStatus
from tracker.weeks import week_of

BLOCK = dt.timedelta(hours=2)
DOMAIN = "paperstreak"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def first_block(user: Any, today: dt.date) -> dt.datetime:
    """The reading block in the user's current week, local wall-clock time in their zone."""
    week = week_of(today, user.week_start)
    day = week.start + dt.timedelta(days=(user.reminder_weekday - week.start.weekday()) % 7)
    return dt.datetime.combine(day, user.reminder_time, tzinfo=user.tzinfo)


def calendar_for(user: Any, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    today = now.astimezone(user.tzinfo).date()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Paperstreak//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Paperstreak")

    block = icalendar.Event()
    block.add("uid", f"reading-block-{user.pk}@{DOMAIN}")
    block.add("dtstamp", now)
    block.add("summary", "Reading block")
    start = first_block(user, today)
    block.add("dtstart", start)
    block.add("dtend", start + BLOCK)
    block.add("rrule", {"freq": "weekly", "byday": WEEKDAYS[user.reminder_weekday]})
    cal.add_component(block)

    for goal in Goal.objects.owned_by(user).active().exclude(deadline=None).order_by("pk"):
        assert goal.deadline is not None
        event = icalendar.Event()
        event.add("uid", f"goal-{goal.pk}-deadline@{DOMAIN}")
        event.add("dtstamp", now)
        event.add("summary", f"Goal deadline: {goal.title}")
        event.add("dtstart", goal.deadline)
        event.add("dtend", goal.deadline + dt.timedelta(days=1))
        cal.add_component(event)

    # Competitions still to be entered or under way; the title is the user's own, as a goal's.
    competitions = (
        Project.objects.owned_by(user)
        .filter(kind=ProjectKind.COMPETITION, deadline__isnull=False)
        .exclude(status__in=[ProjectStatus.DONE, ProjectStatus.SHELVED])
        .order_by("pk")
    )
    for project in competitions:
        assert project.deadline is not None
        event = icalendar.Event()
        event.add("uid", f"competition-{project.pk}-deadline@{DOMAIN}")
        event.add("dtstamp", now)
        event.add("summary", f"Competition deadline: {project.title}")
        event.add("dtstart", project.deadline)
        event.add("dtend", project.deadline + dt.timedelta(days=1))
        cal.add_component(event)

    for week in WeekBreak.objects.owned_by(user).order_by("week_start"):
        event = icalendar.Event()
        event.add("uid", f"break-{week.pk}@{DOMAIN}")
        event.add("dtstamp", now)
        event.add("summary", "Planned break")
        event.add("dtstart", week.week_start)
        event.add("dtend", week.week_start + dt.timedelta(days=7))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)

    cal.add_missing_timezones()
    return cal.to_ical()  # type: ignore[no-any-return]
