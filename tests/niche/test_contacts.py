"""The contacts log: people, the specific questions asked, replies and follow-ups."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from tests.goals.factories import GoalFactory
from tests.niche.factories import ContactFactory, InteractionFactory
from tests.papers.factories import PaperFactory, TopicFactory
from tracker.goals.models import Metric
from tracker.niche.forms import ContactForm, InteractionForm
from tracker.niche.models import QUESTION_TEMPLATES, Contact, Interaction
from tracker.niche.services import follow_ups
from tracker.progress.queries import activity
from tracker.reminders.content import reminder_content
from tracker.reminders.emails import weekly_reminder_email

# Choice fields of owned objects: any id text, in or out of the database's range.
IDS = st.one_of(st.just(""), st.integers().map(str), st.text(max_size=10))
LIST = reverse("niche:contacts")
# Monday 16 Nov 2026; the user's week is 16-22 Nov.
MONDAY = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)


def test_the_list_shows_the_question_templates(client_logged_in):
    body = client_logged_in.get(LIST).content.decode()
    assert all(q in body for q in QUESTION_TEMPLATES)


def test_adding_a_contact_redirects_to_it(client_logged_in, user):
    topic = TopicFactory(owner=user)
    data = {"name": "Ada", "field": "GNNs", "topic": topic.pk, "link": "https://ada.example"}
    response = client_logged_in.post(LIST, data)
    contact = Contact.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    assert contact.topic == topic
    assert contact.created_on == user.local_today()


def test_an_invalid_contact_is_422_keeps_input_and_saves_nothing(client_logged_in, user):
    data = {"name": "Kept name", "follow_up_on": "2026-12-01", "follow_up_weeks": "4"}
    response = client_logged_in.post(LIST, data)
    assert response.status_code == 422
    assert "Kept name" in response.content.decode()
    assert "not both" in response.content.decode()
    assert not Contact.objects.exists()


def test_someone_elses_topic_cannot_be_chosen(client_logged_in, other_user):
    topic = TopicFactory(owner=other_user)
    response = client_logged_in.post(LIST, {"name": "X", "topic": topic.pk})
    assert response.status_code == 422
    assert not Contact.objects.exists()


def test_logging_a_question_and_marking_it_replied(client_logged_in, user):
    contact = ContactFactory(owner=user, follow_up_on=user.local_today())
    paper = PaperFactory(owner=user)
    url = contact.get_absolute_url()
    data = {
        "date": user.local_today().isoformat(),
        "channel": "email",
        "question": QUESTION_TEMPLATES[0],
        "paper": paper.pk,
    }
    assert client_logged_in.post(url, data).status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.paper == paper and not interaction.replied
    assert QUESTION_TEMPLATES[0] in client_logged_in.get(url).content.decode()
    replied = reverse("niche:replied", args=[interaction.pk])
    assert client_logged_in.post(replied).status_code == 302
    interaction.refresh_from_db()
    contact.refresh_from_db()
    assert interaction.replied and interaction.replied_on == user.local_today()
    assert contact.follow_up_on is None, "a reply clears the one-off follow-up"
    client_logged_in.post(replied)  # twice: nothing more changes
    assert Interaction.objects.get().replied_on == user.local_today()


def test_an_invalid_question_is_422_and_keeps_input(client_logged_in, user):
    contact = ContactFactory(owner=user)
    future = (user.local_today() + dt.timedelta(days=3)).isoformat()
    data = {"date": future, "channel": "email", "question": "Kept question"}
    response = client_logged_in.post(contact.get_absolute_url(), data)
    assert response.status_code == 422
    assert "Kept question" in response.content.decode()
    assert not Interaction.objects.exists()


def test_editing_the_contact(client_logged_in, user):
    contact = ContactFactory(owner=user)
    data = {"name": "Renamed", "follow_up_weeks": "6"}
    assert client_logged_in.post(contact.get_absolute_url(), data).status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.follow_up_weeks) == ("Renamed", 6)


def test_marking_replied_needs_post(client_logged_in, user):
    interaction = InteractionFactory(contact__owner=user)
    url = reverse("niche:replied", args=[interaction.pk])
    assert client_logged_in.get(url).status_code == 405


def test_follow_ups_one_off_and_every_n_weeks(user):
    today = dt.date(2026, 11, 16)
    one_off = ContactFactory(owner=user, name="B", follow_up_on=today)
    every = ContactFactory(owner=user, name="A", follow_up_weeks=2, created_on=dt.date(2026, 10, 1))
    InteractionFactory(contact=every, date=dt.date(2026, 11, 2))  # + 2 weeks = 16 Nov
    later = ContactFactory(owner=user, follow_up_weeks=4)
    InteractionFactory(contact=later, date=dt.date(2026, 11, 10))
    ContactFactory(owner=user)  # no follow-up
    due = follow_ups(user, today)
    assert [(f.contact, f.due_on) for f in due] == [(every, today), (one_off, today)]
    InteractionFactory(contact=every, date=dt.date(2026, 11, 2), replied=True,
                       replied_on=dt.date(2026, 11, 9))  # fmt: skip
    assert [f.contact for f in follow_ups(user, today)] == [one_off]


@time_machine.travel(MONDAY, tick=False)
def test_the_weekly_email_lists_at_most_three_due_follow_ups(user):
    for n in range(5):
        ContactFactory(owner=user, name=f"Expert {n}", follow_up_on=dt.date(2026, 11, 18))
    ContactFactory(owner=user, name="Next month", follow_up_on=dt.date(2026, 12, 20))
    message = weekly_reminder_email(user)
    html = message.alternatives[0][0]
    assert "FOLLOW UP THIS WEEK" in message.body
    assert message.body.count("(due 18 Nov)") == 3
    assert str(html).count("(due 18 Nov)") == 3
    assert "Next month" not in message.body


@time_machine.travel(MONDAY, tick=False)
def test_marked_replied_is_gone_from_the_email(user):
    contact = ContactFactory(owner=user, name="Grace", follow_up_on=dt.date(2026, 11, 17))
    assert "Grace" in weekly_reminder_email(user).body
    from tracker.niche.services import mark_replied

    mark_replied(
        InteractionFactory(contact=contact, date=dt.date(2026, 11, 16)), user.local_today()
    )
    assert "Grace" not in weekly_reminder_email(user).body


@time_machine.travel(MONDAY, tick=False)
def test_no_follow_ups_costs_no_query(user, django_assert_num_queries):
    with django_assert_num_queries(1):
        content = reminder_content(user, MONDAY)
    assert content.follow_ups == []
    mail.outbox = []


def test_expert_conversations_is_a_goal_metric(user):
    GoalFactory(owner=user, metric=Metric.EXPERT_CONVERSATIONS)
    InteractionFactory(contact__owner=user, date=dt.date(2026, 11, 3))
    InteractionFactory(contact__owner=user, date=dt.date(2026, 11, 3))
    days = activity(user, dt.date(2026, 11, 1)).days(Metric.EXPERT_CONVERSATIONS)
    assert days == {dt.date(2026, 11, 3): 2}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_contact_form_never_crashes(user, data):
    form = data.draw(from_form(ContactForm, form_kwargs={"owner": user}, topic=IDS))
    if form.is_valid():
        form.save()


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_interaction_form_never_crashes(user, data):
    contact = ContactFactory(owner=user)
    form = data.draw(
        from_form(
            InteractionForm,
            form_kwargs={"owner": user, "contact": contact},
            paper=IDS,
            replication=IDS,
            project=IDS,
        )
    )
    if form.is_valid():
        form.save()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=300), weeks=st.text(max_size=8))
def test_contact_post_of_random_text_is_never_500(client_logged_in, text, weeks):
    data = {"name": text, "field": text, "link": text, "follow_up_weeks": weeks}
    assert client_logged_in.post(LIST, data).status_code in (302, 422)
