"""Request and response shapes of the REST API (dates ISO 8601, instants UTC)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

MAX_INT = 2**31 - 1


class Error(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


class Topic(Schema):
    id: int
    name: str
    is_focus: bool


class Paper(Schema):
    id: int
    title: str
    authors: list[str]
    year: int | None
    venue: str
    url: str
    arxiv_id: str
    doi: str
    status: str
    added_on: dt.date
    started_on: dt.date | None
    finished_on: dt.date | None
    depth: int | None
    understanding: int | None
    summary: str
    notes: str
    explained: bool
    topics: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_authors(obj: Any) -> list[str]:
        return list(obj.author_list)

    @staticmethod
    def resolve_topics(obj: Any) -> list[str]:
        return [t.name for t in obj.topics.all()]


class PaperAdded(Schema):
    created: bool
    paper: Paper


class PaperCreate(Schema):
    q: str = Field(
        ..., max_length=1000, description="arXiv ID or link, DOI or doi.org link, or a title"
    )
    title: str = Field("", max_length=500, description="Used when the metadata cannot be looked up")
    status: str = Field("to_read", description="to_read, reading or read")
    topics: list[str] = Field(default_factory=list, max_length=30)


class PaperUpdate(Schema):
    status: str


class MarkRead(Schema):
    finished_on: dt.date | None = Field(None, description="Your local date; default today")
    minutes: int | None = Field(None, description="Logged as a reading session")
    depth: int | None = Field(None, description="1 skim, 2 grasp, 3 re-derive")
    understanding: int | None = Field(None, description="1 to 5")
    summary: str = Field("", max_length=10000)


class Session(Schema):
    id: int
    paper_id: int
    date: dt.date
    minutes: int


class SessionCreate(Schema):
    date: dt.date | None = Field(None, description="Your local date; default today")
    minutes: int


class TopicCreate(Schema):
    name: str = Field(..., max_length=60)


class Replication(Schema):
    id: int
    paper_id: int
    paper_title: str
    status: str
    repo_url: str
    metric_name: str
    paper_value: float | None
    my_mean: float | None
    my_std: float | None
    seeds: int | None
    gpu_hours: Decimal | None
    metric_delta: float | None
    easy: str
    hard: str
    author_contact: str
    started_on: dt.date | None
    finished_on: dt.date | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_paper_title(obj: Any) -> str:
        return str(obj.paper.title)


class ReplicationFields(Schema):
    """Every field optional: PATCH changes only what it names."""

    status: str | None = None
    repo_url: str | None = None
    metric_name: str | None = None
    paper_value: float | None = None
    my_mean: float | None = None
    my_std: float | None = None
    seeds: int | None = None
    gpu_hours: Decimal | None = Field(None, max_digits=10, decimal_places=2)
    easy: str | None = None
    hard: str | None = None
    author_contact: str | None = None
    started_on: dt.date | None = None
    finished_on: dt.date | None = None


class ReplicationCreate(ReplicationFields):
    paper_id: int = Field(..., ge=1, le=2**63 - 1)


class ChecklistItem(Schema):
    name: str
    label: str
    done: bool


class Project(Schema):
    id: int
    kind: str
    title: str
    description: str
    repo_url: str
    status: str
    started_on: dt.date | None
    finished_on: dt.date | None
    checklist_score: int
    checklist: list[ChecklistItem]
    updated_at: dt.datetime

    @staticmethod
    def resolve_checklist(obj: Any) -> list[dict[str, Any]]:
        return obj.checklist_items()  # type: ignore[no-any-return]


class ChecklistSet(Schema):
    done: bool


class StreakOut(Schema):
    current: int
    longest: int
    freezes_banked: int
    this_week_done: int
    this_week_target: int
    this_week_met: bool


class PaceOut(Schema):
    done: int
    target: int
    deadline: dt.date | None
    rate_per_week: float
    needed_per_week: float | None
    projected_date: dt.date | None
    ahead_by: int | None
    status: str


class Goal(Schema):
    id: int
    title: str
    metric: str
    period: str
    target: int
    stretch_target: int | None
    start_date: dt.date
    deadline: dt.date | None
    done: int
    percent: int
    met: bool
    streak: StreakOut | None
    pace: PaceOut | None


class Streak(Schema):
    goal_id: int | None
    goal: str | None
    streak: StreakOut | None


class PaperPage(Schema):
    count: int
    page: int
    pages: int
    items: list[Paper]


class SessionPage(Schema):
    count: int
    page: int
    pages: int
    items: list[Session]


class ReplicationPage(Schema):
    count: int
    page: int
    pages: int
    items: list[Replication]


class ProjectPage(Schema):
    count: int
    page: int
    pages: int
    items: list[Project]
