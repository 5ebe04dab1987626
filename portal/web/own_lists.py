"""A person's list of what they sent (applications, change requests,
grievances): the page asked for (?page=, at most MAX_PAGE, else 404), the
records the registry has on it, and on the first page what still waits in the
outbox, rendered by the feature's own template."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request, url_for

from portal import local_time
from portal.outbox import keys
from portal.registry.client import Page

MAX_PAGE = 1000


def render_own_list(
    template: str,
    *,
    endpoint: str,
    records_as: str,
    page_size: int,
    waiting: Callable[[], list[keys.Waiting]],
    registry_page: Callable[[int], Page],
    **context,
) -> str:
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    found = keys.listing(page, page_size, waiting, registry_page)
    return render_template(
        template,
        **{records_as: found.records},
        waiting=found.waiting,
        registry_answered=found.registry_answered,
        page=page,
        pages=found.pages,
        page_url=lambda number: url_for(endpoint, page=number),
        local_day=local_time.local_day,
        **context,
    )
