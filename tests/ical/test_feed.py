"""The iCalendar feed: parsed back with icalendar; P1 (no private text) and P2 (a new
address makes the old one 404 at once)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.goals.factories import GoalFactory, WeekBreakFactory
from tests.papers.factories import PaperFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ReplicationFactory
from tracker.ical.models import CalendarFeed


def _feed(client: Client, user: User) -> icalendar.Calendar:
    entry, _ = CalendarFeed.objects.get_or_create(owner=user)
    response = client.get(reverse("ical:feed", args=[entry.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _block(cal: icalendar.Calendar) -> icalendar.Event:
    (block,) = [e for e in cal.walk("VEVENT") if e["summary"] == "Reading block"]
    return block


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC), tick=False)
def test_weekly_block_in_kolkata_at_the_reminder_slot() -> None:
    user = UserFactory(timezone="Asia/Kolkata", reminder_weekday=2, reminder_time=dt.time(19, 30))
    cal = _feed(Client(), user)
    block = _block(cal)
    start = block.decoded("dtstart")
    assert start.tzinfo is not None and str(block["dtstart"].params["TZID"]) == "Asia/Kolkata"
    assert (start.weekday(), start.time()) == (2, dt.time(19, 30))
    assert start.utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert block.decoded("dtend") - start == dt.timedelta(hours=2)
    rule = block["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["WE"]
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Asia/Kolkata"


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 10, 20, 12, tzinfo=dt.UTC), tick=False)
def test_block_keeps_local_time_across_the_dst_week() -> None:
    """Berlin leaves summer time on 25 Oct 2026: the block stays at 09:00 local both sides."""
    user = UserFactory(timezone="Europe/Berlin", reminder_weekday=0, reminder_time=dt.time(9))
    cal = _feed(Client(), user)
    block = _block(cal)
    rule = icalendar.prop.vRecur.from_ical(block["rrule"].to_ical().decode())
    from dateutil.rrule import rrulestr  # icalendar depends on python-dateutil

    start = block.decoded("dtstart")
    occurrences = list(
        rrulestr(icalendar.vRecur(rule).to_ical().decode(), dtstart=start, forceset=False)
    )[:3]
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert [o.astimezone(berlin).time() for o in occurrences] == [dt.time(9)] * 3
    offsets = [o.astimezone(berlin).utcoffset() for o in occurrences]
    assert offsets[0] == dt.timedelta(hours=2) and offsets[1] == dt.timedelta(hours=1)
    (tz,) = cal.walk("VTIMEZONE")
    assert {c.name for c in tz.subcomponents} >= {"STANDARD", "DAYLIGHT"}


@pytest.mark.django_db
def test_goal_deadlines_and_breaks_are_events(user: User) -> None:
    GoalFactory(
        owner=user,
        period="total",
        start_date=dt.date(2026, 1, 1),
        deadline=dt.date(2027, 6, 30),
        name="Twenty replications",
    )
    WeekBreakFactory(owner=user, week_start=dt.date(2026, 12, 21))
    cal = _feed(Client(), user)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    deadline = events["Goal deadline: Twenty replications"]
    assert deadline.decoded("dtstart") == dt.date(2027, 6, 30)
    pause = events["Planned break"]
    assert (pause.decoded("dtstart"), pause.decoded("dtend")) == (
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 28),
    )


@pytest.mark.django_db
def test_competition_deadlines_are_events_until_the_competition_is_over(user: User) -> None:
    day = dt.date(2027, 3, 15)
    ProjectFactory(owner=user, kind="competition", status="active", title="Open", deadline=day)
    ProjectFactory(owner=user, kind="competition", status="done", title="Over", deadline=day)
    ProjectFactory(owner=user, kind="competition", status="shelved", title="Dropped", deadline=day)
    ProjectFactory(owner=user, kind="competition", status="idea", title="Undated")
    ProjectFactory(owner=user, kind="project", status="active", title="Not a contest", deadline=day)
    cal = _feed(Client(), user)
    summaries = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    competition = [name for name in summaries if name.startswith("Competition deadline")]
    assert competition == ["Competition deadline: Open"]
    event = summaries["Competition deadline: Open"]
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (day, day + dt.timedelta(days=1))


@pytest.mark.django_db
def test_feed_shows_no_private_text(user: User) -> None:
    """P1: notes, summaries, abstracts, descriptions, claims, paper titles never appear."""
    secret = "zzSECRETzz"
    paper = PaperFactory(owner=user, title=secret, notes=secret, summary=secret, abstract=secret)
    ReplicationFactory(owner=user, paper=paper, easy=secret, hard=secret, author_contact=secret)
    ProjectFactory(owner=user, kind="competition", title=secret, description=secret)
    GoalFactory(owner=user, deadline=None)
    entry = CalendarFeed.objects.create(owner=user)
    body = Client().get(reverse("ical:feed", args=[entry.token])).content.decode()
    assert secret not in body
    assert user.email not in body


@pytest.mark.django_db
def test_new_address_makes_the_old_one_404(
    client_logged_in: Client, user: User, htmx: dict[str, str]
) -> None:
    """P2 for the calendar."""
    response = client_logged_in.post(reverse("ical:regenerate"), **htmx)
    assert response.status_code == 200
    old = CalendarFeed.objects.get(owner=user).token
    assert old in response.content.decode()
    assert Client().get(reverse("ical:feed", args=[old])).status_code == 200
    client_logged_in.post(reverse("ical:regenerate"))
    new = CalendarFeed.objects.get(owner=user).token
    assert new != old
    assert Client().get(reverse("ical:feed", args=[old])).status_code == 404
    assert Client().get(reverse("ical:feed", args=[new])).status_code == 200
    assert Client().get(reverse("ical:feed", args=["guess"])).status_code == 404


@pytest.mark.django_db
def test_settings_section_shows_the_address_only_to_its_owner(
    client_logged_in: Client, other_client: Client, user: User
) -> None:
    entry = CalendarFeed.objects.create(owner=user)
    assert entry.token in client_logged_in.get(reverse("ical:settings")).content.decode()
    assert entry.token not in other_client.get(reverse("ical:settings")).content.decode()
