"""The commune officer's pages: find and open (find_views), act for someone
(assisted_views), and the work lists (worklist_views)."""

from __future__ import annotations

from portal.officer import assisted_views, find_views, worklist_views
from portal.officer.blueprint import blueprint

__all__ = ["assisted_views", "blueprint", "find_views", "worklist_views"]
