import datetime as dt

import factory

from tests.factories import UserFactory
from tracker.niche.models import Contact, Interaction


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Expert {n}")
    field = "Graph neural networks"
    link = "https://example.org/expert"
    created_on = dt.date(2026, 11, 2)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    contact = factory.SubFactory(ContactFactory)
    date = dt.date(2026, 11, 3)
    question = "What is the smallest extension of your proposed approach?"
    learned = "Try it on a second dataset."
