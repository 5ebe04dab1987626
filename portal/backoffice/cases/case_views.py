"""The queue and case pages (/backoffice/grievances...)."""

from __future__ import annotations

from portal.backoffice.cases.blueprint import blueprint

__all__ = ["blueprint"]
