"""URL helpers shared by views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def safe_next_url(target: str | None) -> str | None:
    """Only follow a `next` that stays on this site (a path), never another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: the request's own host inside a request, and
    PUBLIC_URL (MATCHER_PUBLIC_URL) outside one (CLI, demo data, background jobs)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, url_scheme=base.scheme,
                                       script_name=base.path or "/")
    return adapter.build(endpoint, values, force_external=True)
