"""Tags that let the papers partials render on pages that pass no form (the dashboard).

They build unbound forms only; a form's choices are read when it is rendered, as with
any form passed in by a view.
"""

from typing import Any

from django import template

from tracker.papers.forms import MarkReadForm, QuickAddForm

register = template.Library()


@register.simple_tag(takes_context=True)
def mark_read_form(context: Any) -> MarkReadForm:
    return MarkReadForm(owner=context["request"].user)


@register.simple_tag
def quick_add_form() -> QuickAddForm:
    return QuickAddForm()


@register.filter
def minutes(value: int | None) -> str:
    """90 -> "1 h 30 min"."""
    if not value:
        return "0 min"
    hours, mins = divmod(int(value), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"
