"""Static files reach a slow phone compressed in whatever the browser accepts
(gzip, brotli, zstd), cached for a year when the URL carries the content hash,
and revalidated with a 304 when it does not change."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest

try:
    from compression import zstd
except ImportError:  # Python < 3.14
    from backports import zstd

STATIC = Path(__file__).resolve().parents[2] / "static"
DECOMPRESS = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}
IMMUTABLE = "public, max-age=31536000, immutable"


def versioned_url(client, filename: str) -> str:
    """The address a page links to: /static/<filename>?v=<content hash>."""
    with client.application.test_request_context():
        from portal.web.templating import static_url

        return static_url(filename)


@pytest.fixture
def stylesheet_url(client):
    body = client.get("/").get_data(as_text=True)
    return re.search(r'href="(/static/css/portal\.css\?v=\w+)"', body).group(1)


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_the_stylesheet_is_served_compressed(client, stylesheet_url, encoding):
    response = client.get(stylesheet_url, headers={"Accept-Encoding": encoding})

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.mimetype == "text/css"
    body = response.get_data()
    assert int(response.headers["Content-Length"]) == len(body)
    assert len(body) < (STATIC / "css" / "portal.css").stat().st_size / 2
    assert DECOMPRESS[encoding](body) == (STATIC / "css" / "portal.css").read_bytes()


@pytest.mark.parametrize("filename", ["js/session-timeout.js", "img/icon.svg"])
@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_scripts_and_images_are_served_compressed_when_it_helps(client, filename, encoding):
    response = client.get(versioned_url(client, filename), headers={"Accept-Encoding": encoding})

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    original = (STATIC / filename).read_bytes()
    body = response.get_data()
    if "Content-Encoding" in response.headers:
        assert len(body) < len(original)
        assert DECOMPRESS[response.headers["Content-Encoding"]](body) == original
    else:
        assert body == original


def test_the_best_encoding_the_client_accepts_is_chosen(client, stylesheet_url):
    def encoding_for(accept_encoding: str) -> str | None:
        response = client.get(stylesheet_url, headers={"Accept-Encoding": accept_encoding})
        return response.headers.get("Content-Encoding")

    assert encoding_for("gzip, deflate, br, zstd") in {"br", "zstd"}
    assert encoding_for("gzip, deflate, br") == "br"
    assert encoding_for("gzip;q=1, br;q=0.5") == "gzip"
    assert encoding_for("br;q=0, gzip") == "gzip"


@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0"])
def test_a_client_that_accepts_no_compression_gets_the_file_as_is(
    client, stylesheet_url, accept_encoding
):
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    response = client.get(stylesheet_url, headers=headers)

    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.get_data() == (STATIC / "css" / "portal.css").read_bytes()


@pytest.mark.parametrize("accept_encoding", ["gzip", "br", "zstd", "identity"])
def test_an_unchanged_file_is_revalidated_with_304(client, stylesheet_url, accept_encoding):
    headers = {"Accept-Encoding": accept_encoding}
    first = client.get(stylesheet_url, headers=headers)
    assert first.headers["ETag"] and first.headers["Last-Modified"]

    again = client.get(stylesheet_url, headers={**headers, "If-None-Match": first.headers["ETag"]})
    since = client.get(
        stylesheet_url, headers={**headers, "If-Modified-Since": first.headers["Last-Modified"]}
    )

    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert since.status_code == 304


def test_each_encoding_has_its_own_etag(client, stylesheet_url):
    etags = {
        encoding: client.get(stylesheet_url, headers={"Accept-Encoding": encoding}).headers["ETag"]
        for encoding in ("gzip", "br", "zstd", "identity")
    }
    assert len(set(etags.values())) == 4
    # a gzip copy's ETag does not validate the brotli copy
    response = client.get(
        stylesheet_url, headers={"Accept-Encoding": "br", "If-None-Match": etags["gzip"]}
    )
    assert response.status_code == 200


def test_only_the_current_hash_is_cached_for_ever(client, stylesheet_url):
    unversioned = client.get("/static/css/portal.css", headers={"Accept-Encoding": "gzip"})
    outdated = client.get("/static/css/portal.css?v=000000000000")

    assert unversioned.headers["Content-Encoding"] == "gzip"
    assert "immutable" not in unversioned.headers["Cache-Control"]
    assert "immutable" not in outdated.headers["Cache-Control"]


def test_fonts_are_served_as_they_are_with_their_etag(client):
    path = "/static/fonts/noto-sans-khmer-khmer-400-normal.woff2"
    response = client.get(path, headers={"Accept-Encoding": "gzip, br, zstd"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers  # woff2 is compressed already
    original = (STATIC / "fonts" / "noto-sans-khmer-khmer-400-normal.woff2").read_bytes()
    assert response.get_data() == original
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/static/css/missing.css", "/static/../pyproject.toml"])
def test_missing_or_outside_files_are_not_found(client, path):
    assert client.get(path, headers={"Accept-Encoding": "gzip"}).status_code == 404
