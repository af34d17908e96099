"""Typing for views behind login_required and django-htmx's middleware."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class AuthedRequest(HttpRequest):
    """A request with a logged-in ``accounts.User`` and htmx details."""

    user: User
    htmx: HtmxDetails
