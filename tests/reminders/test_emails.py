"""The weekly email: E1, E2, E8, subject, onboarding, user's timezone."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import signing

from tests.reminders.conftest import make_learner, tamper
from tracker.goals.actions import add_count, create_goal
from tracker.goals.models import Metric, Period
from tracker.reminders.emails import (
    unsubscribe_token,
    user_id_from_token,
    weekly_reminder_email,
)
from tracker.reminders.models import Reminder

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)  # Monday 09:00 in Berlin, week 48


def links(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"<>]+", text))


def html_of(message: object) -> str:
    return next(c for c, mimetype in message.alternatives if mimetype == "text/html")  # type: ignore[attr-defined]


def reminder_for(user: object) -> Reminder:
    return Reminder.objects.create(user=user, week_start=dt.date(2026, 11, 23), scheduled_for=NOW)


def test_text_and_html_have_the_same_links() -> None:
    user = make_learner(timezone="Europe/Berlin")
    message = weekly_reminder_email(user, reminder=reminder_for(user), now=NOW)
    html = html_of(message).replace("&amp;", "&")
    assert links(message.body) == links(html)
    assert any("/reminders/unsubscribe/" in link for link in links(message.body))
    assert all(link.startswith(settings.SITE_URL) for link in links(message.body))
    assert "<img" not in html  # readable without images
    assert 'style="' in html  # inline CSS only


def test_headers_for_subscription_mail() -> None:
    user = make_learner(timezone="Europe/Berlin")
    reminder = reminder_for(user)
    message = weekly_reminder_email(user, reminder=reminder, now=NOW)
    raw = message.message()
    unsubscribe = raw["List-Unsubscribe"]
    assert re.fullmatch(r"<https://paperstreak\.test/reminders/unsubscribe/[^>]+/>", unsubscribe)
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert raw["List-Id"] == "Paperstreak weekly reminders <reminders.paperstreak.test>"
    assert raw["From"] == settings.REMINDER_FROM_EMAIL
    assert settings.REMINDER_FROM_EMAIL != settings.DEFAULT_FROM_EMAIL
    assert raw["To"] == user.email
    assert raw.is_multipart()
    assert [part.get_content_type() for part in raw.get_payload()] == [
        "text/plain",
        "text/html",
    ]
    # A stable Message-ID: rebuilding the same row's email gives the same one.
    again = weekly_reminder_email(user, reminder=reminder, now=NOW)
    assert raw["Message-ID"] == again.message()["Message-ID"]
    assert raw["Message-ID"] == f"<reminder.{reminder.pk}.20261123@paperstreak.test>"


def test_unsubscribe_token_round_trips_and_rejects_tampering() -> None:
    user = make_learner()
    token = unsubscribe_token(user)
    assert user_id_from_token(token) == user.pk
    with pytest.raises(signing.BadSignature):
        user_id_from_token(tamper(token))
    # The same data signed for another purpose is not an unsubscribe token.
    with pytest.raises(signing.BadSignature):
        user_id_from_token(signing.dumps({"u": user.pk}))


def test_onboarding_email_for_a_user_with_no_activity() -> None:
    user = make_learner(timezone="Europe/Berlin")
    message = weekly_reminder_email(user, now=NOW)
    assert message.subject == "Week 48: log your first paper and start a streak"
    assert "Welcome to Paperstreak" in message.body
    assert "Welcome to Paperstreak" in html_of(message)


def test_weekly_goal_results_and_streak_in_subject_and_body() -> None:
    user = make_learner(timezone="Europe/Berlin")
    goal = create_goal(
        user,
        dt.date(2026, 10, 1),
        metric=Metric.CUSTOM,
        name="Kaggle notebooks",
        period=Period.WEEKLY,
        target=2,
        start_date=dt.date(2026, 10, 19),
    )
    # Met the four weeks 19 Oct .. 9 Nov, 1 of 2 last week (frozen by the earned freeze).
    for week in range(4):
        for _ in range(2):
            add_count(goal, dt.date(2026, 10, 19) + dt.timedelta(weeks=week, days=1))
    add_count(goal, dt.date(2026, 11, 17))
    add_count(goal, dt.date(2026, 11, 23))
    message = weekly_reminder_email(user, now=NOW)
    assert message.subject == "Week 48: 1 of 2 times — keep your 4-week streak"
    for body in (message.body, html_of(message)):
        assert "Kaggle notebooks: 1 of 2 — frozen" in body
        assert "Freezes banked: 0" in body
        assert "1 to go" in body


def test_dates_follow_the_users_timezone() -> None:
    # Sunday 22:00 UTC is already Monday in Kolkata: the email is about the new week.
    user = make_learner(timezone="Asia/Kolkata")
    now = dt.datetime(2026, 11, 22, 22, tzinfo=dt.UTC)
    assert weekly_reminder_email(user, now=now).subject.startswith("Week 48:")
    user_ny = make_learner(timezone="America/New_York")
    assert weekly_reminder_email(user_ny, now=now).subject.startswith("Week 47:")


def test_test_email_is_marked_and_gets_its_own_message_id() -> None:
    user = make_learner()
    first = weekly_reminder_email(user, test=True)
    second = weekly_reminder_email(user, test=True)
    assert first.subject.startswith("[Test] ")
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]
