from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tracker.forms import Form, ModelForm
from tracker.portfolio.models import HANDLE_PATTERN, RESERVED_HANDLES, PortfolioSettings

SECTIONS = (
    "show_replications",
    "show_projects",
    "show_writeups",
    "show_papers",
    "show_topics",
    "show_activity",
)


class PortfolioSettingsForm(ModelForm):
    class Meta:
        model = PortfolioSettings
        fields = ["handle", "enabled", "allow_indexing", *SECTIONS]
        help_texts = {
            "handle": "2–30 lower-case letters, digits or hyphens; your page is /u/your-handle/.",
        }

    def clean_handle(self) -> str:
        handle: str = (self.cleaned_data.get("handle") or "").strip().lower()
        if not handle:
            return ""
        if handle in RESERVED_HANDLES:
            raise ValidationError("That name is reserved; choose another.", code="reserved")
        if len(handle) < 2 or not re.fullmatch(HANDLE_PATTERN, handle):
            raise ValidationError(
                "Use 2–30 lower-case letters, digits or hyphens, starting and ending with a "
                "letter or digit.",
                code="invalid_handle",
            )
        taken = PortfolioSettings.objects.filter(handle__iexact=handle)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError("That handle is taken; choose another.", code="taken")
        return handle

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("enabled") and not data.get("handle") and "handle" not in self.errors:
            self.add_error("handle", "Choose a handle to turn the public page on.")
        return data


class PublishForm(Form):
    """The object switch: sets the state (not a flip), so a repeated POST is harmless."""

    public = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")
