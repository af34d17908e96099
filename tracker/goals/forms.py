from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from tracker.forms import DATE_WIDGET, Form, ModelForm
from tracker.goals.models import Goal, Metric, Period
from tracker.weeks import week_start_date


class GoalForm(ModelForm):
    class Meta:
        model = Goal
        fields = [
            "metric",
            "name",
            "period",
            "target",
            "stretch_target",
            "start_date",
            "deadline",
            "active",
        ]
        widgets = {"start_date": DATE_WIDGET, "deadline": DATE_WIDGET}
        labels = {"name": "Name", "stretch_target": "Stretch target (optional)"}
        help_texts = {"deadline": "Only for goals “in total”: pace is measured against it."}

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = today
        self.fields["target"].widget.attrs["min"] = 1
        self.fields["stretch_target"].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric = data.get("metric")
        target = data.get("target")
        stretch = data.get("stretch_target")
        start = data.get("start_date")
        deadline = data.get("deadline")
        if metric == Metric.CUSTOM and not (data.get("name") or "").strip():
            self.add_error("name", "Give your custom counter a name, e.g. “Kaggle notebooks”.")
        if target is not None and stretch is not None and stretch <= target:
            self.add_error("stretch_target", "A stretch target must be above the target.")
        if data.get("period") == Period.WEEKLY:
            data["deadline"] = None
        elif start and deadline and deadline <= start:
            self.add_error("deadline", "The deadline must be after the start date.")
        return data


class WeekBreakForm(Form):
    week = forms.DateField(
        widget=DATE_WIDGET,
        label="Any day of the week to take off",
        help_text="A break week neither breaks nor extends your streak.",
    )

    def __init__(self, *args: Any, today: dt.date, week_start: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.week_start = week_start

    def clean_week(self) -> dt.date:
        day: dt.date = self.cleaned_data["week"]
        if week_start_date(day, self.week_start) < week_start_date(self.today, self.week_start):
            raise forms.ValidationError("Breaks are planned ahead: pick this week or a coming one.")
        if day > self.today + dt.timedelta(days=366):
            raise forms.ValidationError("Pick a week within the next year.")
        return day
