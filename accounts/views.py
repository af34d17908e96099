from http import HTTPStatus

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, SettingsForm
from accounts.http import AuthedRequest


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = SettingsForm(request.POST or None, instance=user)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, "Settings saved.")
            return redirect("accounts:settings")
        # The reminder schedule is recomputed in the database on save; show the new one.
        user.refresh_from_db(fields=["next_reminder_at"])
        form, saved = SettingsForm(instance=user), True
    template = "accounts/settings.html" + ("#settings-form" if request.htmx else "")
    return render(
        request,
        template,
        {"form": form, "saved": saved},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Every owned object cascades from the user row.
            logout(request)
            user.delete()
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("/")
    return render(
        request,
        "accounts/delete.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


class LoginView(allauth_views.LoginView):
    """allauth's login, answering 429 (not 200) once failed attempts are throttled (A2)."""

    def form_invalid(self, form: Form) -> HttpResponse:
        response = super().form_invalid(form)
        throttled = get_adapter().error_messages["too_many_login_attempts"]
        if any(str(error) == str(throttled) for error in form.non_field_errors()):
            response.status_code = HTTPStatus.TOO_MANY_REQUESTS
        return response


login = LoginView.as_view()
