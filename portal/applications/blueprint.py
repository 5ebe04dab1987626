"""The blueprint of the citizen's application pages (routes in apply_views
and track_views)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("applications", __name__, url_prefix="/applications")
