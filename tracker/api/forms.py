from __future__ import annotations

from django import forms

from tracker.api.models import ApiToken, Scope
from tracker.forms import Form, ModelForm

MAX_TOKENS = 20


class TokenForm(ModelForm):
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.READ)

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]

    def __init__(self, *args: object, owner: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["name"].widget.attrs.setdefault("autocomplete", "off")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the token a name.")
        return name

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if ApiToken.objects.owned_by(self.owner).active().count() >= MAX_TOKENS:  # type: ignore[arg-type]
            raise forms.ValidationError(
                f"You have {MAX_TOKENS} active tokens; revoke one before creating another."
            )
        return cleaned


class DateRangeForm(Form):
    """``since``/``until`` query parameters of the API's lists (ISO dates, inclusive)."""

    since = forms.DateField(required=False)
    until = forms.DateField(required=False)
