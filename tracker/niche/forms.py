from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from tracker.forms import DATE_WIDGET, ModelForm, reject_out_of_range_pks
from tracker.niche.models import QUESTION_TEMPLATES, Contact, Interaction
from tracker.papers.models import Paper, Topic
from tracker.projects.models import Project
from tracker.replications.models import Replication


class OwnedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def clean(self, value: Any) -> Any:
        reject_out_of_range_pks(self, value)
        return super().clean(value)


class ContactForm(ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "field", "topic", "link", "follow_up_on", "follow_up_weeks"]
        widgets = {"follow_up_on": DATE_WIDGET}
        field_classes = {"topic": OwnedChoiceField}

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        if not self.instance.pk:
            self.instance.created_on = owner.local_today()
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = Topic.objects.owned_by(owner)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("follow_up_on") and cleaned.get("follow_up_weeks"):
            self.add_error("follow_up_weeks", "Pick a follow-up date or every N weeks, not both.")
        return cleaned


class InteractionForm(ModelForm):
    class Meta:
        model = Interaction
        fields = ["date", "channel", "question", "replied", "learned", "paper", "replication",
                  "project"]  # fmt: skip
        widgets = {
            "date": DATE_WIDGET,
            "question": forms.Textarea(attrs={"rows": 2}),
            "learned": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {
            "paper": OwnedChoiceField,
            "replication": OwnedChoiceField,
            "project": OwnedChoiceField,
        }

    def __init__(self, *args: Any, owner: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today: dt.date = owner.local_today()
        self.instance.contact = contact
        self.fields["date"].initial = self.today
        self.fields["question"].help_text = "Specific, not generic. For example: " + " ".join(
            f"“{q}”" for q in QUESTION_TEMPLATES
        )
        for name, qs in (
            ("paper", Paper.objects.owned_by(owner).order_by("title")),
            ("replication", Replication.objects.owned_by(owner).select_related("paper")),
            ("project", Project.objects.owned_by(owner).order_by("title")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day > self.today:
            raise forms.ValidationError("This date is in the future; pick today or earlier.")
        return day

    def save(self, commit: bool = True) -> Interaction:
        interaction: Interaction = super().save(commit=False)
        if interaction.replied and not interaction.replied_on:
            interaction.replied_on = interaction.date
        if commit:
            interaction.save()
        return interaction
