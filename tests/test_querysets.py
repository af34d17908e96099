"""One definition of "owned by": every QuerySet that has it inherits it from OwnedQuerySet."""

from django.apps import apps

from tracker.projects.models import WorkSession
from tracker.querysets import OwnedQuerySet


def test_every_owned_by_is_the_one_in_owned_queryset() -> None:
    querysets = {
        type(model._default_manager.all())
        for model in apps.get_models()
        if hasattr(model._default_manager.all(), "owned_by")
    }
    assert len(querysets) >= 7
    for queryset in querysets:
        assert issubclass(queryset, OwnedQuerySet), queryset
        # A copy further down would shadow the base and could drift from it.
        for klass in queryset.__mro__:
            if klass is not OwnedQuerySet:
                assert "owned_by" not in vars(klass), klass


def test_work_sessions_are_owned_through_their_project() -> None:
    query = str(WorkSession.objects.owned_by(1).query)  # type: ignore[arg-type]
    assert "projects_project" in query
