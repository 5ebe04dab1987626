"""The blueprint of the citizen's grievance pages (routes in report_views and
track_views): /grievances/..., and /track without signing in."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("grievances", __name__)
