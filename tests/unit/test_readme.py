"""The README documents every PORTAL_* setting the portal reads, with its default,
and describes this repository as it is, without pointing outside it."""

import re
from pathlib import Path

from portal.config import SETTINGS
from portal.staff.services import MIN_PASSWORD_LENGTH

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_every_setting_is_documented():
    undocumented = [s.name for s in SETTINGS if f"| `{s.name}` |" not in README]
    assert undocumented == []


def test_the_two_commands_come_first():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def layout_block() -> str:
    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return section.split("```")[1]


def test_the_readme_stands_on_its_own():
    # a clone of this repository has nothing beside it
    assert "../" not in README


def test_the_layout_names_every_package_and_every_web_module():
    layout = layout_block()
    packages = sorted(p.parent.name for p in (ROOT / "portal").glob("*/__init__.py"))
    web_modules = sorted(p.name for p in (ROOT / "portal" / "web").glob("*.py"))
    top_modules = sorted(p.name for p in (ROOT / "portal").glob("*.py"))
    assert [name for name in packages if f"  {name}/ " not in layout] == []
    assert [name for name in web_modules + top_modules if name not in layout] == []


def test_the_layout_names_only_files_that_exist():
    named = set(re.findall(r"\b[\w.]+\.(?:py|yaml|html|toml)\b", layout_block()))
    outside = {".venv", "node_modules", ".git"}
    existing = {p.name for p in ROOT.rglob("*") if not outside.intersection(p.parts)}
    assert sorted(named - existing) == []


def test_the_staff_example_says_how_long_the_password_must_be():
    example = README.split("staff create --username", 1)[1][:400]
    assert f"at least {MIN_PASSWORD_LENGTH} characters" in example
