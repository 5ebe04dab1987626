"""The supervisors dashboard (/backoffice/dashboard)."""

from __future__ import annotations

from portal.backoffice.cases.blueprint import blueprint

__all__ = ["blueprint"]
