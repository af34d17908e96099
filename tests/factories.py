import factory
from allauth.account.models import EmailAddress

from accounts.models import User

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Learner {n}")
    password = factory.django.Password(PASSWORD)
    timezone = "UTC"

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """A verified primary EmailAddress, as allauth keeps it; pass verified=False to skip."""
        if not create:
            return
        EmailAddress.objects.update_or_create(
            user=obj,
            email=obj.email,
            defaults={"verified": extracted is not False, "primary": True},
        )
