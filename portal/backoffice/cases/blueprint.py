"""The blueprint of the back office's grievance pages (routes in case_views
and dashboard_views)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("cases", __name__, url_prefix="/backoffice")
