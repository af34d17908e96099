from functools import cache

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from accounts.forms import sorted_timezones

register = template.Library()


@register.simple_tag
@cache
def timezone_datalist() -> SafeString:
    """The <datalist> of IANA zone names that timezone inputs point at (built once)."""
    options = format_html_join("", '<option value="{}">', ((name,) for name in sorted_timezones()))
    return SafeString(f'<datalist id="timezone-names">{options}</datalist>')


@register.simple_tag
def site_url() -> str:
    """The app's own address (``SITE_URL``), for signatures in account emails."""
    from django.conf import settings

    return str(settings.SITE_URL)
