"""Where to send a person after signing in: a path on this site, never another site.

A `next=` value is judged the way a browser would read it in a Location
header: it drops tabs and newlines and reads a backslash as a slash, so
"/<tab>/evil.example" and "/\\evil.example" both mean "//evil.example", another
site. So any control character refuses the value, backslashes count as
slashes, and only a path that starts with exactly one slash and has no scheme
and no host is kept.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_LENGTH = 2000


def local_path(target: str | None) -> str | None:
    """`target` as a path on this site, or None."""
    if not target or len(target) > MAX_LENGTH or _CONTROL.search(target):
        return None
    path = target.replace("\\", "/")
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        parts = urlsplit(path)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return path
