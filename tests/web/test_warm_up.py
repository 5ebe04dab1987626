"""A gunicorn worker does at start what its first requests would otherwise
wait for: the registry client, every template in both languages."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

from flask import Flask

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_warms_up_before_its_first_request(app):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        settings["post_worker_init"](SimpleNamespace(wsgi=app))
    finally:
        gc.unfreeze()
    assert "registry" in app.extensions
    compiled = {name for (_loader, name), _ in app.jinja_env.cache.items()}
    assert {"km:layout.html", "en:layout.html", "km:eligibility/results.html"} <= compiled
    assert settings["max_requests"] >= 100_000  # workers are not recycled every few seconds


def test_an_app_that_is_not_the_portal_is_left_alone():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    bare = Flask("bare")
    settings["post_worker_init"](SimpleNamespace(wsgi=bare))
    assert bare.extensions == {}
