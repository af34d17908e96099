from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F

from tracker.forms import DATE_WIDGET, Form, ModelForm
from tracker.papers import identifiers
from tracker.papers.bibtex import MAX_BYTES
from tracker.papers.models import Depth, Paper, Status, Topic
from tracker.papers.services import split_topics

UNDERSTANDING = [("", "—"), *[(str(i), f"{i} / 5") for i in range(1, 6)]]
DEPTH = [("", "—"), *[(str(v), label) for v, label in Depth.choices]]


def _not_future(value: dt.date | None, today: dt.date) -> dt.date | None:
    if value and value > today:
        raise forms.ValidationError("This date is in the future; pick today or earlier.")
    return value


class QuickAddForm(Form):
    q = forms.CharField(
        label="arXiv ID, DOI, link or title",
        max_length=identifiers.MAX_INPUT,
        widget=forms.TextInput(
            attrs={"placeholder": "1706.03762, 10.1145/…, https://arxiv.org/abs/… or a title"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Unique ids: the library page also has a search box named "q".
        kwargs.setdefault("auto_id", "quick-add-%s")
        super().__init__(*args, **kwargs)

    def clean_q(self) -> identifiers.Parsed:
        parsed = identifiers.parse(self.cleaned_data["q"])
        if isinstance(parsed, identifiers.Invalid):
            raise forms.ValidationError(parsed.reason[:1].upper() + parsed.reason[1:] + ".")
        return parsed


class PaperForm(ModelForm):
    topic_names = forms.CharField(
        label="Topics",
        required=False,
        max_length=1000,
        help_text="Comma-separated; new topics are created as you type them.",
    )
    authors = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One author per line, in byline order.",
    )
    understanding = forms.TypedChoiceField(
        choices=UNDERSTANDING, coerce=int, empty_value=None, required=False
    )
    depth = forms.TypedChoiceField(
        label="Reading depth", choices=DEPTH, coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = Paper
        fields = [
            "title",
            "authors",
            "year",
            "venue",
            "source",
            "url",
            "arxiv_id",
            "doi",
            "abstract",
            "status",
            "started_on",
            "finished_on",
            "depth",
            "understanding",
            "summary",
            "notes",
        ]
        widgets = {
            "started_on": DATE_WIDGET,
            "finished_on": DATE_WIDGET,
            "abstract": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"finished_on": "Empty means today when the status is read."}

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.today: dt.date = owner.local_today()
        self.instance.owner = owner
        self.fields["year"].validators += [
            MinValueValidator(1600),
            MaxValueValidator(self.today.year + 1),
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["topic_names"] = ", ".join(t.name for t in self.instance.topics.all())
        for name in ("title", "venue", "arxiv_id", "doi"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def clean_authors(self) -> str:
        lines = (" ".join(line.split()) for line in self.cleaned_data["authors"].splitlines())
        return "\n".join(line[:200] for line in lines if line)

    def clean_arxiv_id(self) -> str:
        raw = self.cleaned_data["arxiv_id"].strip()
        if not raw:
            return ""
        parsed = identifiers.parse(raw)
        if not isinstance(parsed, identifiers.ArxivId):
            raise forms.ValidationError("Enter an arXiv ID such as 1706.03762 or hep-th/9901001.")
        return parsed.id

    def clean_doi(self) -> str:
        raw = self.cleaned_data["doi"].strip()
        if not raw:
            return ""
        parsed = identifiers.parse(raw)
        if not isinstance(parsed, identifiers.Doi):
            raise forms.ValidationError("Enter a DOI such as 10.1145/3442188.3445922.")
        if len(parsed.doi) > 255:
            raise forms.ValidationError("This DOI is too long.")
        return parsed.doi

    def clean_started_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("started_on"), self.today)

    def clean_finished_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("finished_on"), self.today)

    def clean_topic_names(self) -> list[str]:
        names = split_topics(self.cleaned_data.get("topic_names", ""))
        if len(names) > 30:
            raise forms.ValidationError("At most 30 topics per paper.")
        return names

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started, finished = cleaned.get("started_on"), cleaned.get("finished_on")
        if started and finished and started > finished:
            self.add_error("finished_on", "The finish date is before the start date.")
        mine = Paper.objects.owned_by(self.owner).exclude(pk=self.instance.pk)
        for name, label in (("arxiv_id", "arXiv ID"), ("doi", "DOI")):
            value = cleaned.get(name)
            if value and (other := mine.filter(**{name: value}).first()):
                self.add_error(
                    name, f"Your library already has this {label}: “{other.title}” (#{other.pk})."
                )
        return cleaned

    def validate_unique(self) -> None:
        # Uniqueness per owner is checked in clean() with a message that names the paper.
        pass


class MarkReadForm(Form):
    paper = forms.ModelChoiceField(queryset=Paper.objects.none(), empty_label="Choose a paper")
    finished_on = forms.DateField(label="Finished on", widget=DATE_WIDGET)
    minutes = forms.IntegerField(label="Minutes spent", required=False, min_value=1, max_value=1440)
    depth = forms.TypedChoiceField(
        label="Reading depth", choices=DEPTH, coerce=int, empty_value=None, required=False
    )
    understanding = forms.TypedChoiceField(
        choices=UNDERSTANDING, coerce=int, empty_value=None, required=False
    )
    summary = forms.CharField(
        label="Summary in your own words",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional — a paper with a summary counts as explained.",
    )

    def __init__(self, *args: Any, owner: Any, paper: Paper | None = None, **kwargs: Any) -> None:
        # Shown next to other forms (sessions, the paper form): keep its ids apart.
        kwargs.setdefault("auto_id", "mark-read-%s")
        super().__init__(*args, **kwargs)
        self.today: dt.date = owner.local_today()
        self.initial.setdefault("finished_on", self.today)
        field = self.fields["paper"]
        assert isinstance(field, forms.ModelChoiceField)
        if paper is not None:
            field.queryset = Paper.objects.filter(pk=paper.pk, owner=owner)
            field.initial = paper.pk
            field.widget = forms.HiddenInput()
            self.initial["paper"] = paper.pk
        else:
            field.queryset = (
                Paper.objects.owned_by(owner)
                .unfinished()
                .order_by("-status", "queue_position", "title")
            )

    def clean_finished_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("finished_on"), self.today)


class ReadingSessionForm(Form):
    date = forms.DateField(widget=DATE_WIDGET)
    minutes = forms.IntegerField(min_value=1, max_value=1440)

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today: dt.date = owner.local_today()
        self.initial.setdefault("date", self.today)

    def clean_date(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("date"), self.today)


class StatusForm(Form):
    status = forms.ChoiceField(choices=Status.choices)


class ImportForm(Form):
    file = forms.FileField(label="BibTeX file (.bib, at most 5 MB)")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. "
                "Split the export into smaller files and import them one by one."
            )
        # The whole file, not its first 8 KiB: PostgreSQL cannot store a NUL anywhere in
        # the text that is kept for the preview (issue 17).
        chunks = upload.chunks()
        if any(b"\x00" in chunk for chunk in chunks):
            raise forms.ValidationError(
                "This file contains a NUL byte, so it is not a BibTeX text file "
                "(is it UTF-16 or binary?). Export it as UTF-8 BibTeX and try again."
            )
        upload.seek(0)
        return upload


SORTS: dict[str, tuple[str, list[Any]]] = {
    "finished": ("Recently finished", [F("finished_on").desc(nulls_last=True), "-pk"]),
    "added": ("Recently added", ["-added_on", "-pk"]),
    "title": ("Title", ["title", "pk"]),
    "year": ("Year", [F("year").desc(nulls_last=True), "title", "pk"]),
}


class LibraryFilterForm(Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), required=False, empty_label="Any topic"
    )
    year = forms.IntegerField(required=False, min_value=1000, max_value=3000)
    explained = forms.ChoiceField(
        choices=[("", "Explained or not"), ("yes", "Explained"), ("no", "Not explained")],
        required=False,
    )
    depth = forms.TypedChoiceField(
        choices=[("", "Any depth"), *DEPTH[1:]], coerce=int, empty_value=None, required=False
    )
    sort = forms.ChoiceField(
        choices=[(k, v[0]) for k, v in SORTS.items()], required=False, initial="added"
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Topic.objects.owned_by(owner)

    def filter(self, queryset: Any) -> Any:
        data = self.cleaned_data if self.is_valid() else {}
        if q := (data.get("q") or "").strip():
            queryset = queryset.search(q)
        if status := data.get("status"):
            queryset = queryset.filter(status=status)
        if topic := data.get("topic"):
            queryset = queryset.filter(topics=topic)
        if year := data.get("year"):
            queryset = queryset.filter(year=year)
        if data.get("explained") == "yes":
            queryset = queryset.exclude(summary="")
        elif data.get("explained") == "no":
            queryset = queryset.filter(summary="")
        if depth := data.get("depth"):
            queryset = queryset.filter(depth=depth)
        sort = data.get("sort") or "added"
        return queryset.order_by(*SORTS[sort][1])
