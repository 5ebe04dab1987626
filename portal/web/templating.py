"""Template helpers that are not about language.

Static file URLs carry a hash of the file's content, so browsers may cache
them for a year and still get a new file the moment it changes. Each URL is
worked out once per process; only while templates reload on change (Flask's
debug mode) is the file looked at again on every page."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, request, url_for


@cache
def _content_hash(path: Path, _mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_file_version(path: Path) -> str:
    """A hash of the file's content, computed again when the file changes."""
    return _content_hash(path, path.stat().st_mtime)


def static_url(filename: str) -> str:
    app = current_app
    if app.jinja_env.auto_reload:
        return _versioned_url(app, filename)
    known = app.extensions.setdefault("static_urls", {})
    key = (request.script_root, filename)
    url = known.get(key)
    if url is None:
        url = known[key] = _versioned_url(app, filename)
    return url


def _versioned_url(app: Flask, filename: str) -> str:
    path = Path(app.static_folder or "") / filename
    return url_for("static", filename=filename, v=static_file_version(path))


def has_endpoint(endpoint: str) -> bool:
    """True when a feature's page exists, so templates never link to nothing."""
    return endpoint in current_app.view_functions


def setup_templating(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(static_url=static_url, has_endpoint=has_endpoint)
