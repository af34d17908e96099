"""Fill a verified demo account with years of realistic activity.

Idempotent: the account's papers, topics, replications, projects, goals and breaks are
replaced by the same deterministic data on every run, so it can be refilled at will.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.activity import bump_data_version
from tracker.goals.actions import ARTICLE_PRESETS, create_goal
from tracker.goals.models import Goal, Period, WeekBreak
from tracker.papers.models import Paper, ReadingSession, Topic
from tracker.progress import rollups
from tracker.projects.models import Project
from tracker.replications.models import Replication
from tracker.weeks import iter_weeks, week_of

TOPICS = [
    ("Computer vision", False),
    ("NLP", True),
    ("Reinforcement learning", False),
    ("Optimization", False),
    ("Generative models", False),
    ("Graph neural networks", False),
    ("Interpretability", False),
    ("Speech", False),
]
WORDS = [
    "attention",
    "sparse",
    "residual",
    "diffusion",
    "contrastive",
    "transformer",
    "scaling",
    "robust",
    "efficient",
    "self-supervised",
    "latent",
    "graph",
    "policy",
    "gradient",
    "retrieval",
    "mixture",
    "experts",
    "calibration",
    "distillation",
    "quantization",
    "adversarial",
    "causal",
    "meta",
    "federated",
    "curriculum",
]


def _title(rng: random.Random, n: int) -> str:
    words = rng.sample(WORDS, 4)
    return f"{words[0].capitalize()} {words[1]} for {words[2]} {words[3]} ({n})"


class Command(BaseCommand):
    help = "Create or refill a verified demo user with N years of papers, goals and projects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--years", type=int, default=1)
        parser.add_argument("--password", default="correct horse battery")
        parser.add_argument("--timezone", default="Europe/Berlin")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"]
        if not 0 < years <= 20:
            raise CommandError("--years must be between 1 and 20")
        user = seed(options["email"], years, options["password"], options["timezone"])
        self.stdout.write(
            f"Seeded {user.email}: {Paper.objects.filter(owner=user).count()} papers over "
            f"{years} year(s)."
        )


def seed(email: str, years: int, password: str, timezone: str = "Europe/Berlin") -> Any:
    # bulk_create sends no signals: write without rollup upkeep, then rebuild them once.
    with transaction.atomic():
        with rollups.paused():
            user = _seed(email, years, password, timezone)
        rollups.rebuild(user.pk)
    return user


def _seed(email: str, years: int, password: str, timezone: str) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        email=email, defaults={"display_name": "Demo learner", "timezone": timezone}
    )
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    # Refill: replace everything the account owns with the same deterministic data.
    Replication.objects.filter(owner=user).delete()
    Project.objects.filter(owner=user).delete()
    Paper.objects.filter(owner=user).delete()
    Topic.objects.filter(owner=user).delete()
    Goal.objects.filter(owner=user).delete()
    WeekBreak.objects.filter(owner=user).delete()

    rng = random.Random(f"{email}:{years}")
    today = user.local_today()
    start = today - dt.timedelta(days=365 * years)
    topics = Topic.objects.bulk_create(
        [Topic(owner=user, name=name, is_focus=focus) for name, focus in TOPICS]
    )

    for preset in ARTICLE_PRESETS:
        create_goal(
            user,
            today,
            metric=preset.metric,
            period=preset.period,
            target=preset.target,
            stretch_target=preset.stretch_target,
            start_date=start,
            deadline=(
                start + dt.timedelta(days=365 * years + 180)
                if preset.period == Period.TOTAL
                else None
            ),
        )

    weeks = list(iter_weeks(week_of(start, user.week_start), week_of(today, user.week_start)))
    break_weeks = {w.start for w in weeks[:-2] if rng.random() < 0.04}
    WeekBreak.objects.bulk_create(
        [WeekBreak(owner=user, week_start=s) for s in sorted(break_weeks)]
    )
    papers: list[Paper] = []
    n = 0
    for week in weeks:
        if week.start in break_weeks:
            continue
        count = rng.choices([0, 1, 2, 3, 4], weights=[6, 14, 45, 25, 10])[0]
        for _ in range(count):
            day = week.start + dt.timedelta(days=rng.randrange(7))
            if day > today or day < start:
                continue
            n += 1
            papers.append(
                Paper(
                    owner=user,
                    title=_title(rng, n),
                    authors="A. Researcher\nB. Scientist",
                    year=day.year,
                    status="read",
                    added_on=day - dt.timedelta(days=rng.randrange(1, 30)),
                    started_on=day - dt.timedelta(days=rng.randrange(0, 3)),
                    finished_on=day,
                    depth=rng.choices([1, 2, 3], weights=[3, 5, 2])[0],
                    understanding=rng.randint(2, 5),
                    summary="In my own words: it works because..." if rng.random() < 0.6 else "",
                )
            )
    for i in range(12):
        n += 1
        papers.append(
            Paper(
                owner=user,
                title=_title(rng, n),
                status="reading" if i < 2 else "to_read",
                added_on=today - dt.timedelta(days=i),
                queue_position=i,
            )
        )
    papers = Paper.objects.bulk_create(papers)

    sessions = []
    links: list[Any] = []
    through = Paper.topics.through
    for paper in papers:
        picks = rng.sample(topics, rng.choice([1, 1, 2]))
        links.extend(through(paper_id=paper.pk, topic_id=t.pk) for t in picks)
        if paper.finished_on:
            for back in range(rng.choice([1, 1, 2])):
                day = max(start, paper.finished_on - dt.timedelta(days=back))
                sessions.append(ReadingSession(paper=paper, date=day, minutes=rng.randint(20, 90)))
    ReadingSession.objects.bulk_create(sessions)
    through.objects.bulk_create(links)

    read = [(p, p.finished_on) for p in papers if p.finished_on is not None]
    replications = []
    for i, (paper, read_on) in enumerate(read[3::9]):
        finished = read_on + dt.timedelta(days=rng.randint(7, 30))
        in_progress = finished > today or i == 0
        replications.append(
            Replication(
                owner=user,
                paper=paper,
                status="in_progress" if in_progress else "done",
                started_on=read_on,
                finished_on=None if in_progress else finished,
                repo_url=f"https://github.com/demo/replication-{i}",
                metric_name="accuracy",
                paper_value=round(rng.uniform(0.7, 0.95), 3),
                my_mean=round(rng.uniform(0.65, 0.95), 3),
                my_std=round(rng.uniform(0.001, 0.02), 3),
                seeds=3,
            )
        )
    Replication.objects.bulk_create(replications)

    projects = []
    for i in range(max(1, years * 2)):
        begun = start + dt.timedelta(days=rng.randrange(0, max(1, (today - start).days - 30)))
        finished = begun + dt.timedelta(days=rng.randint(30, 120))
        done = finished <= today and i != 0
        competition = i % 3 == 2
        flags = {
            name: rng.random() < (0.8 if done else 0.4)
            for name in (
                "has_readme",
                "has_eda",
                "has_hyperparameter_study",
                "has_error_analysis",
                "has_second_dataset",
                "has_baseline",
                "has_human_level",
            )
        }
        writeup = done and rng.random() < 0.7
        projects.append(
            Project(
                owner=user,
                kind="competition" if competition else "project",
                title=f"{'Kaggle: ' if competition else ''}{_title(rng, i).split(' (')[0]}",
                status="done" if done else "active",
                started_on=begun,
                finished_on=finished if done else None,
                has_writeup=writeup,
                writeup_url=f"https://blog.example.com/post-{i}" if writeup else "",
                writeup_published_on=finished if writeup else None,
                **flags,
            )
        )
    Project.objects.bulk_create(projects)
    # Outside any request, so the middleware cannot: drop the user's cached dashboard
    # once the new data is visible to other connections.
    transaction.on_commit(lambda: bump_data_version(user.pk))
    return user
