from typing import Any

from django import forms
from django.http import HttpRequest

from accounts.models import User, timezone_names, validate_timezone
from tracker.forms import Form, ModelForm


class TimezoneField(forms.CharField):
    """An IANA timezone name; the widget offers every known zone as a suggestion."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("validators", [validate_timezone])
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"list": "timezone-names", "autocomplete": "off", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        cleaned = super().to_python(value)
        return cleaned.strip() if cleaned else ""


class SignupExtraForm(Form):
    """Extra sign-up fields; the browser fills the timezone in (static/js/app.js)."""

    timezone = TimezoneField(
        initial="UTC",
        help_text="Detected from your browser; weeks and reminders follow it.",
        widget=forms.TextInput(attrs={"data-detect-timezone": "true", "list": "timezone-names"}),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.timezone = self.cleaned_data["timezone"]
        user.save(update_fields=["timezone"])


class SettingsForm(ModelForm):
    timezone = TimezoneField(help_text="IANA name, e.g. Europe/Berlin or Asia/Kolkata.")
    reminder_time = forms.TimeField(
        # A text box, not type="time": Chromium shows that as 9:00 AM in English locales,
        # against the 24-hour help below.
        widget=forms.TimeInput(
            attrs={"inputmode": "numeric", "placeholder": "09:00", "maxlength": 5, "size": 6},
            format="%H:%M",
        ),
        input_formats=["%H:%M", "%H:%M:%S"],
        help_text="Local time, 24-hour clock (00:00–23:59).",
        error_messages={"invalid": "Enter a time between 00:00 and 23:59, like 09:00."},
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "timezone",
            "week_start",
            "reminders_enabled",
            "reminder_weekday",
            "reminder_time",
        ]
        labels = {
            "display_name": "Display name",
            "week_start": "Weeks start on",
            "reminders_enabled": "Send me the weekly reminder email",
            "reminder_weekday": "Reminder day",
            "reminder_time": "Reminder time",
        }


class DeleteAccountForm(Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your password, to confirm it is you.",
    )
    confirm = forms.BooleanField(
        label="I understand that all my papers, goals and progress will be deleted for good."
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


def sorted_timezones() -> list[str]:
    return sorted(timezone_names())
