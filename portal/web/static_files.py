"""Static files, compressed once and sent in the encoding the browser accepts.

Flask sends static files as streams, and Flask-Compress never gzips a stream,
so a browser that accepts only gzip got the stylesheet uncompressed. Instead,
each stylesheet, script and SVG image is compressed when the portal starts —
gzip, brotli and zstd at their strongest levels, which would be too slow per
request — and kept in memory (a few kilobytes). A request gets the smallest
copy its Accept-Encoding allows, with its own ETag, so 304s keep working.
Fonts (woff2) are compressed already and are sent as they are.

A URL with the file's current content hash (`?v=`, see `templating.static_url`)
names one version of the file for ever: browsers may keep it for a year
without asking again (`immutable`).
"""

from __future__ import annotations

import gzip
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

from portal.web.templating import static_file_version

try:
    from compression import zstd
except ImportError:  # Python < 3.14
    from backports import zstd

COMPRESSIBLE_SUFFIXES = frozenset({".css", ".js", ".svg"})
COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "zstd": lambda data: zstd.compress(data, level=19),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class CompressedCopies:
    """One static file: its bytes as they are and each smaller compressed copy."""

    version: str
    modified: datetime
    bodies: dict[str, bytes]  # encoding ("identity" for the file as it is) -> body

    @property
    def encodings_smallest_first(self) -> list[str]:
        return sorted(self.bodies, key=lambda encoding: len(self.bodies[encoding]))


@lru_cache(maxsize=256)
def _compress(path: Path, mtime_ns: int, size: int) -> CompressedCopies:
    data = path.read_bytes()
    bodies = {"identity": data}
    for encoding, compress in COMPRESSORS.items():
        copy = compress(data)
        if len(copy) < len(data):
            bodies[encoding] = copy
    return CompressedCopies(
        version=static_file_version(path),
        modified=datetime.fromtimestamp(mtime_ns / 1e9, UTC),
        bodies=bodies,
    )


def compressed_copies(static_folder: str, filename: str) -> CompressedCopies | None:
    """The file's copies, or None when it is not a compressible static file.

    Keyed on the file's modification time and size, so an edited file is
    compressed again (in development; in production files do not change)."""
    found = safe_join(static_folder, filename)
    if found is None or Path(found).suffix not in COMPRESSIBLE_SUFFIXES:
        return None
    path = Path(found)
    if not path.is_file():
        return None
    stat = path.stat()
    return _compress(path, stat.st_mtime_ns, stat.st_size)


def compress_all(static_folder: str) -> None:
    for path in sorted(Path(static_folder).rglob("*")):
        if path.is_file():
            compressed_copies(static_folder, str(path.relative_to(static_folder)))


def send_compressed(copies: CompressedCopies, filename: str) -> Response:
    encoding = request.accept_encodings.best_match(copies.encodings_smallest_first)
    encoding = encoding or "identity"
    mimetype, _ = mimetypes.guess_type(filename)
    response = current_app.response_class(copies.bodies[encoding], mimetype=mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.set_etag(f"{copies.version}-{encoding}")
    response.last_modified = copies.modified
    response.cache_control.public = True
    response.cache_control.max_age = current_app.get_send_file_max_age(filename)
    return response.make_conditional(request)


def serve_static_file(filename: str) -> Response:
    static_folder = current_app.static_folder or ""
    copies = compressed_copies(static_folder, filename)
    if copies is None:
        response = current_app.send_static_file(filename)
    else:
        response = send_compressed(copies, filename)
    response.vary.add("Accept-Encoding")
    version = request.args.get("v")
    path = Path(static_folder) / filename
    if version and response.status_code in (200, 304) and version == static_file_version(path):
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    return response


def setup_static_files(app: Flask) -> None:
    if app.static_folder:
        compress_all(app.static_folder)
        app.view_functions["static"] = serve_static_file
