"""Follow a grievance: /track, /grievances, /grievances/<reference>."""

from __future__ import annotations

from portal.grievances.blueprint import blueprint

__all__ = ["blueprint"]
