"""Writes and reads of the contacts log that more than one view (or the email) needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from tracker.niche.models import Contact, Interaction

MAX_DUE_IN_EMAIL = 3


@dataclass(frozen=True, slots=True)
class FollowUp:
    contact: Contact
    due_on: dt.date


def follow_ups(user: Any, until: dt.date, limit: int | None = None) -> list[FollowUp]:
    """Contacts whose follow-up falls on or before ``until``, earliest first. One query."""
    contacts = (
        Contact.objects.owned_by(user)
        .filter(Q(follow_up_on__isnull=False) | Q(follow_up_weeks__isnull=False))
        .annotate(last_touch=Max(Coalesce("interactions__replied_on", "interactions__date")))
    )
    due = []
    for contact in contacts:
        day = contact.next_follow_up(contact.last_touch)  # type: ignore[attr-defined]
        if day is not None and day <= until:
            due.append(FollowUp(contact, day))
    due.sort(key=lambda f: (f.due_on, f.contact.name.lower(), f.contact.pk))
    return due[:limit] if limit is not None else due


@transaction.atomic
def mark_replied(interaction: Interaction, today: dt.date) -> bool:
    """Record the reply; a one-off follow-up date has nothing left to chase, so it goes.

    Returns whether anything changed (a second click changes nothing).
    """
    if interaction.replied:
        return False
    interaction.replied = True
    interaction.replied_on = max(today, interaction.date)
    interaction.save(update_fields=["replied", "replied_on"])
    Contact.objects.filter(pk=interaction.contact_id).update(follow_up_on=None)
    return True
