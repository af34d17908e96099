from __future__ import annotations

from django import forms

from tracker.forms import Form, ModelForm
from tracker.recall.models import Prompt, Rating

TEMPLATES = (
    "What problem does it solve?",
    "What is the key idea, in one sentence?",
    "Why does it work — what would break without it?",
    "What did they compare against, and by how much?",
    "What would you try next?",
)


class PromptForm(ModelForm):
    class Meta:
        model = Prompt
        fields = ["question", "answer"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"question": "Question", "answer": "Answer, in your own words"}


class RatingForm(Form):
    rating = forms.TypedChoiceField(choices=Rating.choices, coerce=int)
    seq = forms.IntegerField(min_value=0, max_value=2**31 - 1)


class MoveForm(Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
