"""Khmer pages are Khmer even when nobody ran `pybabel compile`: the portal
compiles a missing or stale catalogue at start, and production refuses to start
without a Khmer catalogue at all."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo

from portal import create_app
from portal.config import ConfigurationError
from tests.conftest import make_test_config
from tests.web.test_security import PRODUCTION

ROOT = Path(__file__).resolve().parents[2]
KHMER_TITLE = "ការគាំពារសង្គម"  # part of the home page's Khmer title


def copy_of_translations(tmp_path: Path) -> Path:
    directory = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", directory)
    for compiled in directory.glob("*/LC_MESSAGES/*.mo"):
        compiled.unlink()
    return directory


def khmer_mo(directory: Path) -> Path:
    return directory / "km" / "LC_MESSAGES" / "messages.mo"


def khmer_home_page(tmp_path: Path, translations: Path, **overrides) -> str:
    config = make_test_config(
        tmp_path, BABEL_TRANSLATION_DIRECTORIES=str(translations), **overrides
    )
    response = create_app(config).test_client().get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert re.search(r'<html lang="km"', body)
    return body


def test_a_missing_compiled_catalogue_is_compiled_at_start(tmp_path):
    translations = copy_of_translations(tmp_path)
    assert KHMER_TITLE in khmer_home_page(tmp_path, translations)
    assert khmer_mo(translations).is_file()


def test_a_stale_compiled_catalogue_is_compiled_again(tmp_path):
    translations = copy_of_translations(tmp_path)
    # a catalogue compiled before any string was translated, older than the .po
    with open(khmer_mo(translations), "wb") as stale:
        write_mo(stale, Catalog(locale="km"))
    po_mtime = (translations / "km" / "LC_MESSAGES" / "messages.po").stat().st_mtime
    os.utime(khmer_mo(translations), (po_mtime - 3600, po_mtime - 3600))

    assert KHMER_TITLE in khmer_home_page(tmp_path, translations)


def test_a_fresh_compiled_catalogue_is_left_alone(tmp_path):
    translations = copy_of_translations(tmp_path)
    khmer_home_page(tmp_path, translations)
    compiled_at = khmer_mo(translations).stat().st_mtime_ns

    khmer_home_page(tmp_path, translations)

    assert khmer_mo(translations).stat().st_mtime_ns == compiled_at


def test_production_compiles_a_missing_catalogue_and_starts(tmp_path):
    translations = copy_of_translations(tmp_path)
    assert KHMER_TITLE in khmer_home_page(tmp_path, translations, **PRODUCTION)


def test_production_refuses_to_start_without_a_khmer_catalogue(tmp_path):
    translations = tmp_path / "translations"
    (translations / "km" / "LC_MESSAGES").mkdir(parents=True)
    config = make_test_config(
        tmp_path, **PRODUCTION, BABEL_TRANSLATION_DIRECTORIES=str(translations)
    )
    with pytest.raises(ConfigurationError, match="Khmer"):
        create_app(config)


WORKER = """
import sys
from portal import create_app
from tests.conftest import make_test_config
from pathlib import Path
create_app(make_test_config(Path(sys.argv[1]), BABEL_TRANSLATION_DIRECTORIES=sys.argv[2]))
"""


def test_workers_starting_together_leave_one_whole_catalogue(tmp_path):
    translations = copy_of_translations(tmp_path)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path / f"worker{n}"), str(translations)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in range(4)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0], errors

    with open(khmer_mo(translations), "rb") as compiled:
        catalogue = read_mo(compiled)
    assert len(catalogue) > 300
    leftovers = [p.name for p in khmer_mo(translations).parent.iterdir()]
    assert sorted(leftovers) == ["messages.mo", "messages.po"]
