"""Text the registry can store or compare: Unicode that encodes as UTF-8, without NUL.

PostgreSQL refuses NUL in text and JSON, and an unpaired surrogate (``\\ud800``
in JSON) cannot be encoded at all, so such text is refused where it enters.
"""

from __future__ import annotations


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None when it can."""
    if "\x00" in text:
        return "Text must not contain NUL characters."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Text must be valid Unicode (no unpaired surrogates)."
    return None
