"""Request helpers shared by the apps' views."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` the client asked for (POST, then query string) if it stays on this site.

    Anything else — another host, a scheme change on an HTTPS site, nothing — gives
    ``default``, so a crafted link can't turn a form into an open redirect.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
