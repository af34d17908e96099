import datetime as dt

import factory

from tests.factories import UserFactory
from tracker.goals.models import CounterEvent, Goal, GoalTarget, Metric, Period, WeekBreak
from tracker.weeks import week_start_date


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    metric = Metric.PAPERS_READ
    period = Period.WEEKLY
    target = 2
    start_date = factory.LazyFunction(lambda: dt.date(2026, 1, 5))

    @factory.post_generation
    def history(obj: Goal, create: bool, extracted: object, **kwargs: object) -> None:
        if create and obj.is_weekly:
            GoalTarget.objects.get_or_create(
                goal=obj,
                effective_from=week_start_date(obj.start_date, obj.owner.week_start),
                defaults={"target": obj.target},
            )


class CounterEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounterEvent

    goal = factory.SubFactory(GoalFactory, metric=Metric.CUSTOM, name="Kaggle notebooks")
    date = factory.LazyFunction(lambda: dt.date(2026, 1, 5))


class WeekBreakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeekBreak

    owner = factory.SubFactory(UserFactory)
    week_start = factory.LazyFunction(lambda: dt.date(2026, 12, 28))
