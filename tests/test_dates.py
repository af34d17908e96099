"""Dates at the edges of the calendar never answer 500 (issue 17, point 3)."""

import datetime as dt
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from tests.goals.factories import GoalFactory
from tracker.dashboard.queries import CARDS
from tracker.forms import InputGuards, latest_date
from tracker.goals.models import Goal
from tracker.reminders.emails import weekly_reminder_email
from tracker.weeks import EARLIEST_DATE


def _pages(goal_pk: int) -> list[str]:
    return [
        reverse("dashboard:home"),
        *[reverse("dashboard:card", args=[name]) for name in CARDS],
        reverse("reminders:preview"),
        reverse("goals:edit", args=[goal_pk]),
        reverse("goals:list"),
    ]


@pytest.mark.parametrize("start", [dt.date.min, dt.date(1, 1, 2), dt.date.max])
def test_stored_weekly_goal_at_calendar_edge_survives_switch_to_sunday_weeks(
    client_logged_in: Client, user: User, start: dt.date
) -> None:
    goal = GoalFactory(owner=user, start_date=start)
    user.week_start = 6
    user.save(update_fields=["week_start"])
    for url in _pages(goal.pk):
        assert client_logged_in.get(url).status_code == 200, url
    message = weekly_reminder_email(user)
    assert message.subject and "Ada" in message.body


@pytest.mark.parametrize("start", ["0001-01-01", "1899-12-31", "9999-12-31"])
@pytest.mark.parametrize("as_htmx", [False, True], ids=["plain", "htmx"])
def test_goal_form_refuses_a_start_outside_1900_to_ten_years_ahead_keeping_input(
    client_logged_in: Client, htmx: dict[str, str], start: str, as_htmx: bool
) -> None:
    data = {"metric": "papers_read", "period": "weekly", "target": "2", "start_date": start}
    headers = htmx if as_htmx else {}
    response = client_logged_in.post(reverse("goals:create"), data, **headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a date between 1900-01-01 and" in html
    assert f'value="{start}"' in html
    assert not Goal.objects.exists()


# -- every form with a date field, over dates near the calendar's edges --------------

EDGE = dt.timedelta(days=60)
edge_dates = st.one_of(
    st.dates(max_value=dt.date.min + EDGE),
    st.dates(min_value=dt.date.max - EDGE),
    st.dates(min_value=dt.date(1899, 11, 1), max_value=dt.date(1900, 2, 1)),
    st.dates(),
)


def project_form_classes() -> list[type]:
    """Every form class defined in the project's forms modules."""
    found = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                found.append(cls)
    return found


FORM_MODULES = [
    "accounts.mfa_forms",
    "accounts.forms",
    "tracker.goals.forms",
    "tracker.papers.forms",
    "tracker.projects.forms",
    "tracker.replications.forms",
    "tracker.api.forms",
]

# How to build each form that has a date field: its keyword arguments for a user.
FORM_KWARGS: dict[str, Callable[[User], dict[str, Any]]] = {
    "GoalForm": lambda u: {"today": u.local_today()},
    "WeekBreakForm": lambda u: {"today": u.local_today(), "week_start": u.week_start},
    "PaperForm": lambda u: {"owner": u},
    "MarkReadForm": lambda u: {"owner": u},
    "ReadingSessionForm": lambda u: {"owner": u},
    "ProjectForm": lambda u: {"owner": u, "today": u.local_today()},
    "WorkSessionForm": lambda u: {"today": u.local_today()},
    "ReplicationForm": lambda u: {"today": u.local_today()},
    "StartReplicationForm": lambda u: {"today": u.local_today()},
    "NewReplicationForm": lambda u: {"owner": u, "today": u.local_today()},
    "DateRangeForm": lambda u: {},
}


def date_forms() -> list[type]:
    return [
        cls
        for cls in project_form_classes()
        if any(isinstance(f, forms.DateField) for f in cls.base_fields.values())
    ]


def test_every_form_derives_from_the_guarded_base() -> None:
    unguarded = [cls.__name__ for cls in project_form_classes() if not issubclass(cls, InputGuards)]
    assert not unguarded, f"derive these from tracker.forms.Form/ModelForm: {unguarded}"


def test_every_form_with_a_date_field_is_in_the_edge_test() -> None:
    missing = {cls.__name__ for cls in date_forms()} - set(FORM_KWARGS)
    assert not missing, f"add these forms to FORM_KWARGS in {__file__}: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", date_forms(), ids=lambda cls: cls.__name__)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=edge_dates, other=edge_dates)
def test_dates_near_the_calendar_edges_are_refused_or_accepted_never_raise(
    user: User, form_class: type, day: dt.date, other: dt.date
) -> None:
    date_names = [n for n, f in form_class.base_fields.items() if isinstance(f, forms.DateField)]
    data = {name: (day if i == 0 else other).isoformat() for i, name in enumerate(date_names)}
    # Enough of the rest to get past the other fields, so the dates reach every clean step.
    data |= {"metric": "papers_read", "period": "total", "target": "5", "title": "T"}
    data |= {"status": "done", "kind": "project", "minutes": "30", "week": day.isoformat()}
    form = form_class(data, **FORM_KWARGS[form_class.__name__](user))
    form.is_valid()  # must not raise
    latest = latest_date()
    for name in date_names:
        value = dt.date.fromisoformat(data[name])
        if not EARLIEST_DATE <= value <= latest:
            assert name in form.errors
            assert "Enter a date between 1900-01-01 and" in str(form.errors[name])
