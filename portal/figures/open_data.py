"""The figures as open data: CSV (one row per place and figure, for a
spreadsheet) and JSON (the edition as it is), both with the day they are as
of and when they were computed, and a JSON Schema that documents the JSON.

The public files hold only the public edition: places with fewer than 20
households are not in them, hidden counts are empty with the reason beside.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from flask import Response, abort

from portal.figures.editions import Edition

SCHEMA_FILE = Path(__file__).with_name("figures.schema.json")
COLUMNS = (
    "place_code",
    "place_level",
    "place_name_km",
    "place_name_en",
    "figure",
    "value",
    "hidden",
    "as_of",
    "computed_at",
)
CACHE = "public, max-age=300"


def rows(edition: Edition):
    """The CSV rows: counts first, then medians and the share decided on time."""
    document = edition.document
    for place in document["places"]:
        head = (place["code"], place["level"], place["name_km"], place["name_en"])
        tail = (document["as_of"], document["computed_at"])
        for figure in document["figure_ids"]:
            value = place["figures"].get(figure)
            yield (
                *head,
                figure,
                "" if value is None else value,
                place["notes"].get(figure, ""),
                *tail,
            )
        for name, value in place["medians"].items():
            yield (*head, f"median_days.{name}", "" if value is None else value, "", *tail)
        share = place["share_decided_on_time"]
        yield (
            *head,
            "percent.grievances.decided_on_time",
            "" if share is None else share,
            "",
            *tail,
        )


def csv_text(edition: Edition) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(edition))
    return out.getvalue()


def csv_response(edition: Edition | None, filename: str, cache: str = CACHE) -> Response:
    if edition is None:
        abort(404)
    # A byte order mark, so that spreadsheet programs read the Khmer names as UTF-8.
    response = Response("\ufeff" + csv_text(edition), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = cache
    return response


def json_response(edition: Edition | None, cache: str = CACHE) -> Response:
    if edition is None:
        abort(404)
    response = Response(
        json.dumps(edition.document, ensure_ascii=False, separators=(",", ":")),
        mimetype="application/json",
    )
    response.headers["Cache-Control"] = cache
    return response


def schema_response() -> Response:
    response = Response(SCHEMA_FILE.read_text(encoding="utf-8"), mimetype="application/schema+json")
    response.headers["Cache-Control"] = CACHE
    return response
