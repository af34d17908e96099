from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from accounts.models import User
from tracker.forms import DATE_WIDGET, ModelForm, reject_out_of_range_pks
from tracker.papers.models import Paper
from tracker.replications.models import Claim, Replication, ReplicationStatus

NUMBER_WIDGET = forms.NumberInput(attrs={"step": "any"})


class PaperChoiceField(forms.ModelChoiceField):
    def clean(self, value: Any) -> Any:
        reject_out_of_range_pks(self, value)
        return super().clean(value)


class DatesMixin:
    """Finish dates are never in the future, never before the start; done means finished."""

    today: dt.date
    cleaned_data: dict[str, Any]
    errors: Any
    add_error: Any
    fields: dict[str, forms.Field]

    def clean_finished_on(self) -> dt.date | None:
        finished_on = self.cleaned_data.get("finished_on")
        if finished_on and finished_on > self.today:
            raise forms.ValidationError("The finish date can't be in the future.")
        return finished_on

    def _clean_dates(self, cleaned: dict[str, Any], instance: Replication | None) -> None:
        started_on = cleaned.get("started_on", instance.started_on if instance else None)
        finished_on = cleaned.get("finished_on", instance.finished_on if instance else None)
        status = cleaned.get("status")
        if (
            status == ReplicationStatus.DONE
            and not finished_on
            and "finished_on" not in self.errors
        ):
            finished_on = cleaned["finished_on"] = self.today
        if started_on and finished_on and started_on > finished_on:
            # The small start form has no finish field (it fills today in for "done"):
            # the error then belongs to the start date.
            field = "finished_on" if "finished_on" in self.fields else "started_on"
            self.add_error(field, "The finish date must be on or after the start date.")


class ReplicationForm(DatesMixin, ModelForm):
    class Meta:
        model = Replication
        fields = [
            "status",
            "repo_url",
            "started_on",
            "finished_on",
            "metric_name",
            "paper_value",
            "my_mean",
            "my_std",
            "seeds",
            "gpu_hours",
            "easy",
            "hard",
            "author_contact",
        ]
        widgets = {
            "started_on": DATE_WIDGET,
            "finished_on": DATE_WIDGET,
            "paper_value": NUMBER_WIDGET,
            "my_mean": NUMBER_WIDGET,
            "my_std": NUMBER_WIDGET,
            "gpu_hours": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "seeds": forms.NumberInput(attrs={"min": "1"}),
            "easy": forms.Textarea(attrs={"rows": 3}),
            "hard": forms.Textarea(attrs={"rows": 3}),
            "author_contact": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"finished_on": "Empty means today once the status is done."}

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_dates(cleaned, None)
        return cleaned


class StartReplicationForm(DatesMixin, ModelForm):
    """The small form on a paper's page: start a replication or change its status."""

    class Meta:
        model = Replication
        fields = ["status", "started_on"]
        widgets = {"started_on": DATE_WIDGET}

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("status", ReplicationStatus.IN_PROGRESS)
            self.initial.setdefault("started_on", today)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance if self.instance.pk else None
        status = cleaned.get("status")
        starts_now = status and status != ReplicationStatus.PLANNED
        if starts_now and not cleaned.get("started_on") and "started_on" not in self.errors:
            cleaned["started_on"] = self.today
        self._clean_dates(cleaned, instance)
        if "finished_on" in cleaned and not self.errors:
            self.instance.finished_on = cleaned["finished_on"]
        return cleaned


class NewReplicationForm(StartReplicationForm):
    """Start a replication from the list page: pick one of your papers without one."""

    paper = PaperChoiceField(queryset=Paper.objects.none(), empty_label="Choose a paper")

    class Meta(StartReplicationForm.Meta):
        fields = ["paper", "status", "started_on"]

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paper = self.fields["paper"]
        assert isinstance(paper, PaperChoiceField)
        paper.queryset = Paper.objects.filter(owner=owner, replication__isnull=True).order_by(
            "title"
        )


class ClaimForm(ModelForm):
    class Meta:
        model = Claim
        fields = ["text", "result", "note"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "placeholder": "What the paper claims"}),
            "note": forms.TextInput(attrs={"placeholder": "Evidence or remarks (optional)"}),
        }
        labels = {"text": "Claim"}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the claim in a sentence.")
        return text
