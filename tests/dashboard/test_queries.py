"""The dashboard's work does not grow with what the user has logged."""

import datetime as dt

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User

# The brief's bound was 12 at 11 queries; the recall card (issue 12) adds 3 (prompts,
# reviews, next due day). What matters is below: the count does not grow with the data.
MAX_QUERIES = 14


def count_dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_empty_and_five_year_users_cost_the_same_queries(
    client, user, django_assert_max_num_queries
) -> None:
    client.force_login(user)
    empty = count_dashboard_queries(client)
    call_command("seed_demo", email="demo@example.com", years=5, verbosity=0)
    client.force_login(User.objects.get(email="demo@example.com"))
    seeded = count_dashboard_queries(client)
    assert empty == seeded
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/")
