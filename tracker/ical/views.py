from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest
from tracker.ical.feed import calendar_for
from tracker.ical.models import CalendarFeed, new_token


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed, for calendar apps: the secret token is the only credential."""
    entry = get_object_or_404(CalendarFeed.objects.select_related("owner"), token=token)
    response = HttpResponse(calendar_for(entry.owner), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="paperstreak.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _section(request: AuthedRequest, status: int = 200) -> HttpResponse:
    entry = CalendarFeed.objects.filter(owner=request.user).first()
    url = request.build_absolute_uri(reverse("ical:feed", args=[entry.token])) if entry else ""
    template = "ical/settings.html" + ("#calendar-feed" if request.htmx else "")
    return render(request, template, {"feed_url": url}, status=status)


@login_required
@require_GET
def settings_section(request: AuthedRequest) -> HttpResponse:
    return _section(request)


@login_required
@require_POST
def regenerate(request: AuthedRequest) -> HttpResponse:
    """Create the feed's address, or replace it: the old one stops working at once."""
    CalendarFeed.objects.update_or_create(owner=request.user, defaults={"token": new_token()})
    if not request.htmx:
        return redirect("ical:settings")
    return _section(request)
