"""One shape for every 422: ``{"detail": …, "errors": {"field": ["message", …]}}``."""

from __future__ import annotations

from typing import Any

from django import forms

NON_FIELD = "__all__"


class Invalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid input")
        self.errors = errors

    @classmethod
    def field(cls, name: str, message: str) -> Invalid:
        return cls({name: [message]})

    @classmethod
    def from_form(cls, form: forms.BaseForm, rename: dict[str, str] | None = None) -> Invalid:
        rename = rename or {}
        data = form.errors.get_json_data()
        return cls({rename.get(k, k): [e["message"] for e in v] for k, v in data.items()})


def body(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {"detail": "The input is not valid; see errors.", "errors": errors}


_CONTAINERS = {"body", "query", "path", "payload", "filters", "header", "cookie", "form"}


def from_pydantic(details: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ninja's pydantic errors (``loc: ["body", "payload", "minutes"]``) keyed by field."""
    errors: dict[str, list[str]] = {}
    for error in details:
        loc = [str(p) for p in error.get("loc", ()) if str(p) not in _CONTAINERS]
        errors.setdefault(".".join(loc) or NON_FIELD, []).append(str(error.get("msg", "invalid")))
    return errors
