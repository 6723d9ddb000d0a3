"""Glance's error bodies: webob renders them, in the format the request's ``Accept`` picks.

An HTML page for ``*/*`` (what requests and keystoneauth send) or ``text/html``, webob's
JSON (``message`` ending in ``<br /><br />``) when JSON is preferred, plain text when
``Accept`` is absent or names neither; each as WebOb 1.8.11 renders ``HTTPNotFound``.
"""

from __future__ import annotations

import html
import re

import orjson

__all__ = ["glance_error"]

JSON = "application/json"
_OFFERS = ("text/html", "application/json")
_TAG = re.compile(r"<[^>]*>")


def _quality(accept: str, offer: str) -> float:
    """The q an ``Accept`` header gives ``offer`` (its most specific matching range)."""
    otype = offer.split("/")[0]
    specificity, quality = -1, 0.0
    for part in accept.split(","):
        fields = part.strip().split(";")
        media = fields[0].strip().lower()
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        rank = 2 if media == offer else 1 if media == f"{otype}/*" else \
            0 if media == "*/*" else -1
        if rank > specificity:
            specificity, quality = rank, q
    return quality


def glance_error(status: int, title: str, message: str,
                 accept: str | None) -> tuple[bytes, str]:
    """The body and content type of Glance's ``status`` error for ``accept``."""
    line = f"{status} {title}"
    kind = None
    if accept is not None:
        scores = [(_quality(accept, offer), -i, offer) for i, offer in enumerate(_OFFERS)]
        best = max(scores)
        kind = best[2] if best[0] > 0 else None
    if kind == "application/json":
        return orjson.dumps({"message": message + "<br /><br />\n\n\n", "code": line,
                             "title": title}), JSON
    if kind == "text/html":
        page = (f"<html>\n <head>\n  <title>{line}</title>\n </head>\n <body>\n"
                f"  <h1>{line}</h1>\n  {html.escape(message)}<br /><br />\n\n\n\n"
                " </body>\n</html>")
        return page.encode(), "text/html; charset=UTF-8"
    return f"{line}\n\n{_TAG.sub('', message)}\n\n   ".encode(), "text/plain; charset=UTF-8"
