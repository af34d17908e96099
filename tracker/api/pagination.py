from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


def paginate(queryset: QuerySet[Any], query: PageQuery) -> dict[str, Any]:
    count = queryset.count()
    start = (query.page - 1) * query.page_size
    return {
        "count": count,
        "page": query.page,
        "pages": max(1, math.ceil(count / query.page_size)),
        "items": list(queryset[start : start + query.page_size]),
    }
