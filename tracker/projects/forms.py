from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from accounts.models import User
from tracker.forms import DATE_WIDGET, Form, ModelForm, reject_out_of_range_pks
from tracker.papers.models import Paper
from tracker.projects.models import Project, ProjectKind, ProjectStatus, WorkSession


class PaperChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        reject_out_of_range_pks(self, value)
        return super().clean(value)


class ProjectForm(ModelForm):
    """Create/edit a project. Linked papers are limited to the owner's own papers."""

    class Meta:
        model = Project
        fields = [
            "kind",
            "title",
            "description",
            "status",
            "repo_url",
            "datasets",
            "started_on",
            "finished_on",
            "writeup_url",
            "competition_url",
            "deadline",
            "leaderboard_rank",
            "leaderboard_percentile",
            "followed_winner_recipe",
            "papers",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "datasets": forms.Textarea(attrs={"rows": 2}),
            "started_on": DATE_WIDGET,
            "finished_on": DATE_WIDGET,
            "papers": forms.CheckboxSelectMultiple,
        }
        field_classes = {"papers": PaperChoiceField}
        labels = {"papers": "Linked papers"}
        help_texts = {
            "finished_on": "Set when the project is done; empty means today.",
            "competition_url": "Competitions only.",
            "leaderboard_rank": "Competitions only.",
        }

    def __init__(self, *args: Any, owner: User, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.today = today
        papers = self.fields["papers"]
        assert isinstance(papers, forms.ModelMultipleChoiceField)
        papers.queryset = Paper.objects.filter(owner=owner).order_by("title")
        papers.help_text = "Papers from your library this project builds on."

    def clean_papers(self) -> Any:
        papers = self.cleaned_data.get("papers") or []
        # The field's queryset already rejects other users' ids; keep the rule explicit.
        if any(paper.owner_id != self.owner.pk for paper in papers):
            raise forms.ValidationError("You can only link papers from your own library.")
        return papers

    def clean_finished_on(self) -> dt.date | None:
        finished_on = self.cleaned_data.get("finished_on")
        if finished_on and finished_on > self.today:
            raise forms.ValidationError("The finish date can't be in the future.")
        return finished_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started_on, finished_on = cleaned.get("started_on"), cleaned.get("finished_on")
        if started_on and finished_on and started_on > finished_on:
            self.add_error("finished_on", "The finish date must be on or after the start date.")
        done = cleaned.get("status") == ProjectStatus.DONE
        if done and not finished_on and "finished_on" not in self.errors:
            cleaned["finished_on"] = self.today
        if cleaned.get("kind") == ProjectKind.PROJECT:
            # Leaderboard fields only mean something for competitions.
            cleaned["leaderboard_rank"] = cleaned["leaderboard_percentile"] = None
        return cleaned

    def save(self, commit: bool = True) -> Project:
        project: Project = super().save(commit=False)
        project.owner = self.owner
        if project.has_writeup and not project.writeup_published_on:
            project.writeup_published_on = self.today
        if commit:
            project.save()
            self.save_m2m()
        return project


class ChecklistItemForm(Form):
    item = forms.ChoiceField(choices=[])
    done = forms.TypedChoiceField(
        choices=[("1", "done"), ("0", "not done")], coerce=lambda value: value == "1"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tracker.projects.models import CHECKLIST

        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        assert isinstance(item, forms.ChoiceField)
        item.choices = [(name, label) for name, label, _hint in CHECKLIST]


class WorkSessionForm(ModelForm):
    class Meta:
        model = WorkSession
        fields = ["date", "minutes", "note"]
        widgets = {
            "date": DATE_WIDGET,
            "minutes": forms.NumberInput(attrs={"min": 1, "max": 1440, "step": 1}),
            "note": forms.TextInput(attrs={"placeholder": "What did you do?"}),
        }
        help_texts = {"minutes": "1–1440.", "date": ""}

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if not self.is_bound:
            self.initial.setdefault("date", today)

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if date > self.today:
            raise forms.ValidationError("A work session can't be in the future.")
        return date
