"""Citizen pages: report a problem (/grievances/new), follow it by reference
(/track, no sign-in) or signed in (/grievances, /grievances/<reference>)."""

from __future__ import annotations

from portal.grievances import report_views, track_views
from portal.grievances.blueprint import blueprint

__all__ = ["blueprint", "report_views", "track_views"]
