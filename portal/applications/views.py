"""Citizen pages: apply for a programme (/applications/new/<programme>) and
follow one's applications (/applications, /applications/<reference>)."""

from __future__ import annotations

from portal.applications import apply_views, track_views
from portal.applications.blueprint import blueprint

__all__ = ["apply_views", "blueprint", "track_views"]
