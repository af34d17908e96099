"""Form pieces shared by the domain apps (no app imports another's forms).

Every form in the project derives from :class:`Form` or :class:`ModelForm` here (a test
walks the form classes, so a new one cannot skip it). Their guards apply to every field,
declared or generated from a model:

* a date is refused outside 1900-01-01 … today + 10 years, so no stored date can push the
  week arithmetic off the calendar (issue 17);
* a NUL character is refused in any input, with one clear message: PostgreSQL cannot store
  it in a text column, so letting it through would answer 500 at save time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone

from tracker.weeks import EARLIEST_DATE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

YEARS_AHEAD = 10
NUL_MESSAGE = (
    "This contains a NUL character (\\0), which text cannot hold; remove it and try again."
)

# Largest primary key a BigAutoField can hold; bigger ids would overflow the database driver.
MAX_PK = 2**63 - 1


def latest_date(today: dt.date | None = None) -> dt.date:
    """The last date a form accepts: ``YEARS_AHEAD`` years after today (28 Feb for 29 Feb)."""
    today = today or timezone.now().date()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February, ten years on, is not a leap day
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def validate_date_range(value: dt.date) -> None:
    latest = latest_date()
    if EARLIEST_DATE <= value <= latest:
        return
    why = "too long ago" if value < EARLIEST_DATE else "too far in the future"
    raise ValidationError(
        "Enter a date between %(earliest)s and %(latest)s; this one is %(why)s.",
        code="date_out_of_range",
        params={"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat(), "why": why},
    )


def has_nul(value: Any) -> bool:
    """Whether raw form input (a string, a list of them, an upload's name) holds a NUL."""
    if isinstance(value, list | tuple):
        return any(has_nul(item) for item in value)
    if isinstance(value, str):
        return "\x00" in value
    name = getattr(value, "name", None)  # an UploadedFile: its content is the form's job
    return isinstance(name, str) and "\x00" in name


def guard_fields(fields: dict[str, forms.Field]) -> None:
    """Add the date bound to every date field (validator and the picker's min/max)."""
    for field in fields.values():
        if isinstance(field, forms.DateField) and validate_date_range not in field.validators:
            field.validators.append(validate_date_range)
            field.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
            field.widget.attrs.setdefault("max", latest_date().isoformat())
        for i, validator in enumerate(field.validators):
            if isinstance(validator, ProhibitNullCharactersValidator):
                # Django's CharField has one; give it the same message as the check below.
                field.validators[i] = ProhibitNullCharactersValidator(message=NUL_MESSAGE)


class InputGuards:
    """Mixin for a Django form: the date bound and the NUL check on every field."""

    fields: dict[str, forms.Field]
    data: Any
    files: Any
    is_bound: bool
    prefix: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_fields(self.fields)

    def full_clean(self) -> None:
        """Refuse NUL in the raw input of every field, before any field or form cleans it.

        Text fields refuse it themselves (Django's validator, same message); this covers the
        rest — choices, numbers, dates, an upload's name — and keeps the value away from any
        ``clean_*`` method or query, where PostgreSQL would raise. What the user typed is
        still what the form shows.
        """
        form: Any = self
        keys = {
            name: form.add_prefix(name)
            for name, field in self.fields.items()
            if self.is_bound and has_nul(self._raw(field, form.add_prefix(name)))
        }
        if not keys:
            super().full_clean()  # type: ignore[misc]
            return
        data, files = self.data, self.files
        self.data = _without(data, keys.values())
        self.files = _without(files, keys.values())
        try:
            super().full_clean()  # type: ignore[misc]
        finally:
            self.data, self.files = data, files
        for name in keys:
            form.errors.pop(name, None)  # e.g. "required": the value was there, just bad
            form.add_error(name, ValidationError(NUL_MESSAGE, code="nul"))

    def _raw(self, field: forms.Field, key: str) -> Any:
        if isinstance(field, forms.FileField):
            return self.files.getlist(key) if hasattr(self.files, "getlist") else None
        if hasattr(self.data, "getlist"):
            return self.data.getlist(key)
        return self.data.get(key)


def _without(data: Any, keys: Any) -> Any:
    copy = data.copy()
    for key in keys:
        copy.pop(key, None)
    return copy


class Form(InputGuards, forms.Form):
    pass


class ModelForm(InputGuards, forms.ModelForm):
    pass


def reject_out_of_range_pks(field: forms.Field, value: Any) -> None:
    """Raise the field's invalid-choice error for ids the database can't even compare."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        text = str(item).strip()
        try:
            number = int(text)
        except ValueError:
            continue  # not a number: the field reports it as an invalid value
        if abs(number) > MAX_PK:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text[:20]},
            )
