"""A learner with every kind of object half public, half private (P1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ClaimFactory, ReplicationFactory
from tracker.portfolio.models import (
    PortfolioSettings,
    PublicPaper,
    PublicProject,
    PublicReplication,
)

PRIVATE = "PRIVATE-SECRET"


def enable(user: Any, handle: str = "ada", **extra: Any) -> PortfolioSettings:
    ps, _ = PortfolioSettings.objects.update_or_create(
        user=user, defaults={"handle": handle, "enabled": True, **extra}
    )
    return ps


def half_public(user: Any) -> dict[str, list[str]]:
    """Two of each kind, one published; private texts carry PRIVATE so a test can grep."""
    today = user.local_today()
    GoalFactory(owner=user, start_date=today - dt.timedelta(days=60))
    pub_topic = TopicFactory(owner=user, name="Public topic")
    priv_topic = TopicFactory(owner=user, name=f"{PRIVATE} topic")
    shown: list[str] = []
    for public in (True, False):
        tag = "PUBLIC" if public else PRIVATE
        paper = PaperFactory(
            owner=user,
            title=f"{tag} paper title",
            status="read",
            finished_on=today,
            summary=f"{PRIVATE} summary of {tag}" if not public else "PUBLIC summary",
            notes=f"{PRIVATE} notes of {tag}",
            topics=[pub_topic if public else priv_topic],
        )
        ReadingSessionFactory(paper=paper, date=today, minutes=77)
        hidden_summary = PaperFactory(
            owner=user,
            title=f"{tag} paper with a private summary",
            status="read",
            finished_on=today,
            summary=f"{PRIVATE} summary kept private",
            notes=f"{PRIVATE} notes",
        )
        rep_paper = PaperFactory(owner=user, title=f"{tag} replicated paper", notes=f"{PRIVATE} n")
        rep = ReplicationFactory(
            owner=user,
            paper=rep_paper,
            status="done",
            finished_on=today,
            easy=f"{PRIVATE} easy",
            hard=f"{PRIVATE} hard",
            author_contact=f"{PRIVATE} contact",
            metric_name="accuracy",
            paper_value=0.9,
            my_mean=0.88,
            my_std=0.01,
        )
        ClaimFactory(
            replication=rep, text=f"{tag} claim", result="reproduced", note=f"{PRIVATE} cn"
        )
        project = ProjectFactory(
            owner=user,
            title=f"{tag} project",
            has_readme=True,
            repo_url="https://example.org/repo",
        )
        comp = ProjectFactory(
            owner=user,
            title=f"{tag} competition",
            kind="competition",
            leaderboard_percentile=12.5,
            has_writeup=True,
            writeup_url="https://example.org/writeup",
        )
        if public:
            PublicPaper.objects.create(paper=paper, summary_public=True)
            PublicPaper.objects.create(paper=hidden_summary, summary_public=False)
            PublicReplication.objects.create(replication=rep)
            PublicProject.objects.create(project=project)
            PublicProject.objects.create(project=comp)
            shown += [paper.title, hidden_summary.title, rep_paper.title, project.title, comp.title]
    return {"shown": shown}


def publish_everything(user: Any) -> list[str]:
    """Every object of the user published, every section on; the public URLs to fetch."""
    from tracker.papers.models import Paper
    from tracker.projects.models import Project
    from tracker.replications.models import Replication

    ps = enable(user, handle=f"walker{user.pk}", share_secret=f"walk-secret-{user.pk}")
    for paper in Paper.objects.owned_by(user):
        PublicPaper.objects.get_or_create(paper=paper, defaults={"summary_public": True})
    for rep in Replication.objects.owned_by(user):
        PublicReplication.objects.get_or_create(replication=rep)
    for project in Project.objects.owned_by(user):
        PublicProject.objects.get_or_create(project=project)
    urls = [f"/u/{ps.handle}/", f"/s/{ps.share_secret}/"]
    return urls + [
        f"/u/{ps.handle}/badge.svg?metric={m}" for m in ("papers", "streak", "replications")
    ]
