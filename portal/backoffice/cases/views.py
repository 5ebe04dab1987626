"""Back-office grievance pages: the queue and cases (case_views), the
supervisors' dashboard (dashboard_views)."""

from __future__ import annotations

from portal.backoffice.cases import case_views, dashboard_views
from portal.backoffice.cases.blueprint import blueprint

__all__ = ["blueprint", "case_views", "dashboard_views"]
