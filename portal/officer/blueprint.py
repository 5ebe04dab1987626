"""The blueprint of the commune officer's pages (/officer/...); the routes are
in find_views, assisted_views and worklist_views."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("officer", __name__, url_prefix="/officer")
