"""Compiled message catalogues (.mo), made from the committed .po files at start.

Without a compiled catalogue Flask-Babel quietly falls back to the English
source texts, so a Khmer page would be English under `lang="km"`. At start the
portal compiles every catalogue whose .mo is missing or older than its .po, and
production refuses to start with no Khmer catalogue at all.

Several gunicorn workers may start at once: each writes to a temporary file
beside the catalogue and renames it into place, so no worker ever reads half a
file.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from portal.config import ConfigurationError
from portal.i18n import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)


def translation_directories(app: Flask) -> list[Path]:
    """Flask-Babel's BABEL_TRANSLATION_DIRECTORIES: `;`-separated, relative to the app."""
    names = app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations")
    return [Path(app.root_path, name) for name in names.split(";") if name]


def needs_compiling(po_file: Path) -> bool:
    mo_file = po_file.with_suffix(".mo")
    return not mo_file.exists() or mo_file.stat().st_mtime < po_file.stat().st_mtime


def compile_catalogue(po_file: Path) -> None:
    """Write `messages.mo` beside `messages.po` (fuzzy entries left out, as pybabel does)."""
    language = po_file.parent.parent.name
    with po_file.open("rb") as source:
        catalogue = read_po(source, locale=language, domain=po_file.stem)
    descriptor, temporary = tempfile.mkstemp(
        dir=po_file.parent, prefix=f".{po_file.stem}-", suffix=".mo.tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as compiled:
            write_mo(compiled, catalogue)
        os.chmod(temporary, 0o644)
        os.replace(temporary, po_file.with_suffix(".mo"))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    log.info("compiled message catalogue %s", po_file.with_suffix(".mo"))


def has_catalogue(directories: list[Path], language: str) -> bool:
    return any(any((d / language / "LC_MESSAGES").glob("*.mo")) for d in directories)


def setup_catalogues(app: Flask) -> None:
    """Compile missing or stale catalogues; in production, insist on a Khmer one."""
    directories = translation_directories(app)
    for directory in directories:
        for po_file in sorted(directory.glob("*/LC_MESSAGES/*.po")):
            if needs_compiling(po_file):
                try:
                    compile_catalogue(po_file)
                except OSError as error:
                    if app.config["PORTAL_ENV"] == "production":
                        raise ConfigurationError(
                            f"cannot compile {po_file} ({error}): run "
                            "`pybabel compile -d translations` when deploying"
                        ) from error
                    log.warning("cannot compile %s: %s", po_file, error)
    if has_catalogue(directories, DEFAULT_LANGUAGE):
        return
    missing = f"no Khmer message catalogue (km/LC_MESSAGES/messages.po) in {directories}"
    if app.config["PORTAL_ENV"] == "production":
        raise ConfigurationError(
            f"{missing}: Khmer pages would be served in English; "
            "deploy from a full checkout of the repository"
        )
    log.warning("%s: Khmer pages will show the English source texts", missing)
