import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.projects.factories import make_paper
from tracker.projects.models import Project, ProjectKind, ProjectStatus

pytestmark = pytest.mark.django_db
URL = reverse("projects:create")


def valid_data(**overrides):
    data = {
        "kind": "project",
        "title": "Tiny ResNet on CIFAR-10",
        "description": "Train a small ResNet.",
        "status": "active",
        "repo_url": "https://github.com/ada/tiny-resnet",
        "datasets": "CIFAR-10\nSVHN",
        "started_on": "2025-01-06",
        "finished_on": "",
        "writeup_url": "",
        "competition_url": "",
        "leaderboard_rank": "",
        "leaderboard_percentile": "",
    }
    data.update(overrides)
    return data


def test_full_page_shows_the_form(client_logged_in):
    response = client_logged_in.get(URL, {"kind": "competition"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and 'id="project-form"' in body
    assert '<option value="competition" selected>' in body


def test_htmx_get_returns_the_form_partial(client_logged_in, htmx):
    body = client_logged_in.get(URL, **htmx).content.decode()
    assert body.lstrip().startswith('<section class="card" id="project-form"')


def test_valid_post_creates_and_redirects(client_logged_in, user):
    response = client_logged_in.post(URL, valid_data())
    project = Project.objects.get()
    assert project.owner == user
    assert project.dataset_list() == ["CIFAR-10", "SVHN"]
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()


def test_valid_htmx_post_redirects_client_and_logs_activity(client_logged_in, htmx):
    response = client_logged_in.post(URL, valid_data(), **htmx)
    project = Project.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == project.get_absolute_url()
    assert "activityLogged" in response["HX-Trigger"]


def test_done_without_finish_date_is_finished_today(client_logged_in, user):
    client_logged_in.post(URL, valid_data(status="done"))
    project = Project.objects.get()
    assert project.status == ProjectStatus.DONE
    assert project.finished_on == user.local_today()


def test_invalid_post_is_422_and_keeps_input(client_logged_in, htmx):
    response = client_logged_in.post(
        URL, valid_data(title="", description="Kept text 42", repo_url="not a url"), **htmx
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Kept text 42" in body
    assert "This field is required" in body
    assert "Enter a valid URL" in body
    assert Project.objects.count() == 0


def test_percentile_must_be_between_0_and_100(client_logged_in):
    response = client_logged_in.post(
        URL, valid_data(kind="competition", leaderboard_percentile="150")
    )
    assert response.status_code == 422
    assert "less than or equal to 100" in response.content.decode()
    response = client_logged_in.post(
        URL, valid_data(kind="competition", leaderboard_percentile="-1")
    )
    assert response.status_code == 422
    response = client_logged_in.post(
        URL,
        valid_data(
            kind="competition",
            leaderboard_percentile="12.5",
            leaderboard_rank="40",
            followed_winner_recipe="on",
        ),
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.kind == ProjectKind.COMPETITION
    assert float(project.leaderboard_percentile) == 12.5
    assert project.followed_winner_recipe


def test_finish_date_in_the_future_is_rejected(client_logged_in, user):
    tomorrow = user.local_today() + dt.timedelta(days=1)
    response = client_logged_in.post(
        URL, valid_data(status="done", finished_on=tomorrow.isoformat())
    )
    assert response.status_code == 422
    assert "can&#x27;t be in the future" in response.content.decode()


def test_finish_before_start_is_rejected(client_logged_in):
    response = client_logged_in.post(
        URL, valid_data(started_on="2025-02-01", finished_on="2025-01-01")
    )
    assert response.status_code == 422


def test_only_own_papers_can_be_linked(client_logged_in, user, other_user):
    mine = make_paper(user, title="My paper")
    theirs = make_paper(other_user, title="Their paper")
    page = client_logged_in.get(URL).content.decode()
    assert "My paper" in page and "Their paper" not in page

    response = client_logged_in.post(URL, valid_data(papers=[mine.pk, theirs.pk]))
    assert response.status_code == 422
    assert Project.objects.count() == 0

    response = client_logged_in.post(URL, valid_data(papers=[mine.pk]))
    assert response.status_code == 302
    assert list(Project.objects.get().papers.all()) == [mine]


def test_csrf_is_enforced(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(URL, valid_data())
    assert response.status_code == 403
    assert Project.objects.count() == 0


@pytest.mark.parametrize("pk", ["9223372036854775808", "-99999999999999999999999", "-1", "x"])
def test_absurd_paper_ids_are_a_form_error_not_a_crash(client_logged_in, pk):
    response = client_logged_in.post(URL, valid_data(papers=[pk]))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Select a valid choice" in body or "is not a valid value" in body
