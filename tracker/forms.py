"""Form pieces shared by the domain apps (no app imports another's forms)."""

from typing import Any

from django import forms

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Largest primary key a BigAutoField can hold; bigger ids would overflow the database driver.
MAX_PK = 2**63 - 1


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
