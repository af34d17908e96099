"""QuerySet bases shared by the apps' models."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.db import models

if TYPE_CHECKING:
    from accounts.models import User


class OwnedQuerySet[M: models.Model](models.QuerySet[M]):
    """Rows that belong to one user: the one definition of "owned by".

    ``owner_lookup`` names the path to the owning user, for models owned through a
    parent (a work session belongs to whoever owns its project).
    """

    owner_lookup: ClassVar[str] = "owner"

    def owned_by(self, user: User) -> Self:
        return self.filter(**{self.owner_lookup: user})
