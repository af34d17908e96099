from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.http import safe_next
from tracker.reminders.emails import user_id_from_token, weekly_reminder_email
from tracker.reminders.tasks import send_test_reminder

TEST_EMAIL_EVERY_SECONDS = 10 * 60

# The HTML email carries inline CSS (mail clients ignore stylesheets); only this response
# allows inline styles. It is also sandboxed (no allow-scripts, no allow-same-origin): the
# page holds user text on the app's origin, so even a markup mistake in the email could
# run neither script nor htmx with the user's session (S6).
EMAIL_PREVIEW_CSP: dict[str, Any] = {
    **settings.SECURE_CSP,
    "style-src": ["'unsafe-inline'"],
    "sandbox": True,
}


def _html_body(message: Any) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


@login_required
@require_GET
def preview(request: HttpRequest) -> HttpResponse:
    """This week's email as it would be sent now: subject, headers and the text version."""
    user = request.user
    message = weekly_reminder_email(user)
    return render(request, "reminders/preview.html", {"message": message})


@login_required
@require_GET
@csp_override(EMAIL_PREVIEW_CSP)
def preview_html(request: HttpRequest) -> HttpResponse:
    """The HTML version exactly as a mail client would get it."""
    user = request.user
    return HttpResponse(_html_body(weekly_reminder_email(user)))


@login_required
@require_POST
def send_test(request: HttpRequest) -> HttpResponse:
    """Queue a test email to the user (at most one every 10 minutes)."""
    user: Any = request.user
    # cache.add is atomic: only the first request in the window gets to queue a send.
    allowed = cache.add(f"reminders:test-email:{user.pk}", 1, TEST_EMAIL_EVERY_SECONDS)
    if allowed:
        send_test_reminder.delay_on_commit(user.pk)
        note = f"Test email queued to {user.email}."
    else:
        note = "A test email was sent a few minutes ago; try again in 10 minutes."
    if not request.htmx:  # type: ignore[attr-defined]
        (messages.success if allowed else messages.warning)(request, note)
        return redirect(safe_next(request, reverse("accounts:settings")))
    # 200 either way: htmx swaps only 2xx/422 here, and the note must reach the user.
    return render(request, "reminders/_settings_panel.html", {"panel_note": note})


@csrf_exempt  # RFC 8058 one-click: mail providers POST without our cookie or token (E3).
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm form and changes nothing (E4); POST turns reminders off (E3)."""
    try:
        user_id = user_id_from_token(token)
    except signing.BadSignature:
        return render(request, "reminders/unsubscribe_invalid.html", status=400)
    users = get_user_model().objects.filter(pk=user_id)
    user = users.first()
    if user is None:
        return render(request, "reminders/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        # Clearing next_reminder_at takes the user out of the next dispatch at once (E6);
        # a row already queued is skipped by the send task's eligibility check.
        users.update(reminders_enabled=False, next_reminder_at=None)
        return render(request, "reminders/unsubscribe_done.html", {"email": user.email})
    # Opened again after unsubscribing (or from an old email): say so instead of asking again.
    context = {"email": user.email, "token": token, "already": not user.reminders_enabled}
    return render(request, "reminders/unsubscribe_confirm.html", context)
