from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from accounts.activity import bump_data_version


class VaryOnHtmxMiddleware:
    """Every HTML view may answer a partial to htmx, so caches must key on HX-Request (S5)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("HX-Request",))
        return response


class DataVersionMiddleware:
    """Bump the user's data version after every request that may have changed their data.

    Every change to a user's data in the product is a non-GET request by that user, so
    bumping here keeps per-user caches (the dashboard's cards) correct without a signal
    per model. It bumps whatever the status: a request that failed may still have written
    before failing, and a needless bump costs only one cold render. It runs after the view
    (and any ``atomic`` block in it) has committed, so a concurrent GET either reads the
    old version and caches under it, or reads the new data.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in self.SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                bump_data_version(user.pk)
        return response
