"""The README documents every PORTAL_* setting the portal reads, with its default."""

from pathlib import Path

from portal.config import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_documented():
    undocumented = [s.name for s in SETTINGS if f"| `{s.name}` |" not in README]
    assert undocumented == []


def test_the_two_commands_come_first():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
