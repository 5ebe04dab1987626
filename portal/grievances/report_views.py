"""Report a grievance: /grievances/new, one question a page."""

from __future__ import annotations

from portal.grievances.blueprint import blueprint

__all__ = ["blueprint"]
