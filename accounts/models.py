import datetime as dt
import zoneinfo
from functools import cache
from typing import ClassVar

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

# Files in the zone database that are not IANA zone names: "localtime" is the server's
# own zone (whatever the host is set to), "Factory" a placeholder meaning "zone not set",
# "posixrules" a rule template; posix/ and right/ are copies of the database (T5).
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def timezone_names() -> frozenset[str]:
    """IANA zone names a user may pick (links such as Asia/Calcutta included)."""
    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if name not in NOT_ZONES and not name.startswith(("posix/", "right/"))
    )


def suggest_timezones(value: str, limit: int = 3) -> list[str]:
    """Zones whose city part is ``value`` ("berlin" → Europe/Berlin, "new york" →
    America/New_York), or else whose name contains it; a few, sorted."""
    wanted = value.strip().lower().replace(" ", "_")
    if len(wanted) < 3:
        return []
    names = sorted(timezone_names())
    exact = [n for n in names if n.lower().rsplit("/", 1)[-1] == wanted]
    return (exact or [n for n in names if wanted in n.lower()])[:limit]


def validate_timezone(value: str) -> None:
    if value in timezone_names():
        return
    suggestions = suggest_timezones(value)
    if suggestions:
        raise ValidationError(
            "“%(value)s” is not an IANA timezone name. Did you mean %(names)s?",
            params={"value": value, "names": " or ".join(suggestions)},
            code="invalid_timezone",
        )
    raise ValidationError(
        "“%(value)s” is not a known IANA timezone, e.g. Europe/Berlin or America/New_York.",
        params={"value": value},
        code="invalid_timezone",
    )


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def has_verified_email(prefix: str = "") -> Exists:
    """E7: the user's login address is their primary, verified allauth address.

    An expression, for annotations (``values(eligible=has_verified_email())``) and for
    reaching the user from another model (``prefix="user__"`` from a Reminder).
    """
    return Exists(
        EmailAddress.objects.filter(
            user=OuterRef(f"{prefix}pk"),
            primary=True,
            verified=True,
            email__iexact=OuterRef(f"{prefix}email"),
        )
    )


class UserQuerySet(models.QuerySet["User"]):
    def with_verified_email(self) -> "UserQuerySet":
        """Users whose login address is their primary, verified address (E7)."""
        return self.filter(has_verified_email())

    def without_verified_email(self) -> "UserQuerySet":
        return self.exclude(has_verified_email())


class EmailUserManager(UserManager["User"]):
    """Email is the login; there is no username."""

    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def with_verified_email(self) -> UserQuerySet:
        return self.get_queryset().with_verified_email()

    def without_verified_email(self) -> UserQuerySet:
        return self.get_queryset().without_verified_email()

    def _create_user(self, email: str, password: str | None, **extra_fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    timezone = models.CharField(
        max_length=64, default="UTC", validators=[validate_timezone], help_text="IANA timezone"
    )
    week_start = models.PositiveSmallIntegerField(
        choices=[(Weekday.MONDAY, "Monday"), (Weekday.SUNDAY, "Sunday")], default=Weekday.MONDAY
    )
    reminder_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )
    reminder_time = models.TimeField(default=dt.time(9, 0))
    reminders_enabled = models.BooleanField(default=True)
    # Next reminder instant (UTC); maintained by tracker.reminders.schedule.
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_now(self) -> dt.datetime:
        return timezone.now().astimezone(self.tzinfo)

    def local_today(self) -> dt.date:
        return self.local_now().date()

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]
