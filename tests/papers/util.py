import json


def events(response) -> set[str]:
    """Names of the htmx events a response triggers (HX-Trigger header)."""
    raw = response.headers.get("HX-Trigger")
    if not raw:
        return set()
    try:
        return set(json.loads(raw))
    except ValueError:
        return {name.strip() for name in raw.split(",")}
