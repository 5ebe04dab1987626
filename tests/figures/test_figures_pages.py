"""/figures: the counts equal the registry's records (worked out apart, from the
data API), pages drill down from the country to a commune, open data files,
and staff see every number for their area only, each view logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import jsonschema
import pytest

from portal.database import db
from portal.figures import editions
from portal.figures.models import FiguresStaffView
from portal.figures.open_data import SCHEMA_FILE
from portal.registry_access import registry
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.staff.conftest import create_staff, sign_in
from tests.support.demo_data import (
    FIGURES_COMMUNES,
    FIGURES_DISTRICT,
    FIGURES_HOUSEHOLDS,
    FIGURES_PROVINCE,
)
from tests.support.figures_truth import truth_from_registry

A = FIGURES_COMMUNES["A"]


def _truth_for(figures_app, as_of: str) -> dict:
    with figures_app.app_context():
        return truth_from_registry(registry(figures_app), dt.date.fromisoformat(as_of))


def _rolled_up(truth: dict, code: str) -> dict:
    """Counts of the places within ``code`` ("KH": all), added up here."""
    total: dict = {}

    def add(name, number):
        total[name] = total.get(name, 0) + number

    for place in truth["places"]:
        commune = place["commune_code"]
        if code != "KH" and not (commune or "").startswith(code):
            continue
        households = place["households"]
        add("households", households["total"])
        for channel, number in households["by_channel"].items():
            add(f"households.channel.{channel}", number)
        for level, number in households["idpoor_verified"].items():
            add(f"households.idpoor.{level}", number)
        for row in place["persons"]:
            add("persons", row["count"])
            add(f"persons.{row['sex']}.{row['age_band']}", row["count"])
            add(f"persons.sex.{row['sex']}", row["count"])
            add(f"persons.age.{row['age_band']}", row["count"])
        for row in place["applications"]:
            add("applications", row["count"])
            add(f"applications.programme.{row['programme_id']}", row["count"])
            add(f"applications.state.{row['state']}", row["count"])
        for row in place["grievances"]:
            add("grievances", row["count"])
            add(f"grievances.category.{row['category']}", row["count"])
            add(f"grievances.state.{row['state']}", row["count"])
        for name, number in place["grievance_deadlines"].items():
            add(f"grievances.{name}", number)
    return total


def test_counts_equal_the_registry_records_at_every_level(figures_app, documents):
    _public, staff = documents
    truth = _truth_for(figures_app, staff["as_of"])
    by_code = {place["code"]: place for place in staff["places"]}
    for code in ("KH", FIGURES_PROVINCE, FIGURES_DISTRICT, A, FIGURES_COMMUNES["C"]):
        expected = _rolled_up(truth, code)
        figures = by_code[code]["figures"]
        expected["households.idpoor.none"] = (
            expected["households"]
            - expected["households.idpoor.1"]
            - expected["households.idpoor.2"]
        )
        for name, number in expected.items():
            assert figures[name] == number, (code, name)
        assert {name for name, number in figures.items() if number} <= set(expected), code
    for key, code in FIGURES_COMMUNES.items():
        assert by_code[code]["figures"]["households"] == FIGURES_HOUSEHOLDS[key]


def test_public_figures_equal_the_staff_ones_where_shown(documents):
    public, staff = documents
    by_code = {place["code"]: place for place in staff["places"]}
    for place in public["places"]:
        for name, value in place["figures"].items():
            if value is not None:
                assert value == by_code[place["code"]]["figures"][name]


def test_a_councillor_drills_down_to_their_commune(figures_app):
    client = figures_app.test_client()
    page = client.get("/figures?lang=en").get_data(as_text=True)
    assert "Households registered" in page and f'href="/figures/{FIGURES_PROVINCE}"' in page
    page = client.get(f"/figures/{FIGURES_PROVINCE}").get_data(as_text=True)
    assert f'href="/figures/{FIGURES_DISTRICT}"' in page
    page = client.get(f"/figures/{FIGURES_DISTRICT}").get_data(as_text=True)
    assert f'href="/figures/{A}"' in page and f'href="/figures/{FIGURES_COMMUNES["C"]}"' in page
    page = client.get(f"/figures/{A}").get_data(as_text=True)
    for words in (
        "Households registered",
        "Applications waiting for a decision",
        "Complaints overdue",
        f"<dd>{FIGURES_HOUSEHOLDS['A']}</dd>",
    ):
        assert words in page, words


def test_khmer_pages_write_khmer_digits(figures_app):
    page = figures_app.test_client().get(f"/figures/{A}").get_data(as_text=True)
    assert ("២៦" in page and "ចំនួនគ្រួសារ" in page) or "២៦" in page


def test_a_small_commune_shows_no_figures(figures_app):
    page = figures_app.test_client().get(f"/figures/{FIGURES_COMMUNES['C']}?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Fewer than 20 households are registered here" in text
    assert "Households registered" not in text


@pytest.mark.parametrize(
    "path",
    ["/figures/99", "/figures/0799", "/figures/1234567", "/figures/x%00y", "/figures/" + "1" * 500],
)
def test_unknown_places_are_not_found(figures_app, path):
    assert figures_app.test_client().get(path).status_code == 404


def test_pages_fit_the_first_round_trip(figures_app):
    client = figures_app.test_client()
    for path in (
        "/figures",
        f"/figures/{FIGURES_PROVINCE}",
        f"/figures/{FIGURES_DISTRICT}",
        f"/figures/{A}",
        "/figures/about",
    ):
        for language in ("km", "en"):
            weight = measure(client, f"{path}?lang={language}")
            assert weight.total <= FIRST_ROUND_TRIP_BYTES, (path, language, weight)


def test_open_data_files(figures_app, documents):
    public, _staff = documents
    client = figures_app.test_client()
    answer = client.get("/figures/figures.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    document = answer.get_json()
    jsonschema.validate(document, json.loads(SCHEMA_FILE.read_text()))
    assert document == public
    schema = client.get("/figures/schema.json")
    assert schema.status_code == 200
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/figures/figures.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    shown = {(row["place_code"], row["figure"]): row for row in rows}
    for place in public["places"]:
        for figure, value in place["figures"].items():
            row = shown[place["code"], figure]
            assert row["value"] == ("" if value is None else str(value))
            assert row["hidden"] == place["notes"].get(figure, "")
            assert row["as_of"] == public["as_of"]
    assert not any(row["place_code"] == FIGURES_COMMUNES["C"] for row in rows)


def _staff(app, username: str, role: str, communes=None):
    secret = create_staff(app, username, role, communes=communes)
    client = app.test_client()
    assert sign_in(client, username, secret).location == "/staff/"
    return client


def _views(app) -> list[tuple[str, str, str]]:
    with app.app_context(), db.session() as session:
        return [
            (v.username, v.place_code, v.format)
            for v in session.query(FiguresStaffView).order_by(FiguresStaffView.id)
        ]


def test_staff_figures_need_the_role_and_the_area(figures_app):
    app = figures_app
    anonymous = app.test_client()
    assert anonymous.get(f"/figures/staff/{A}").status_code == 302
    officer = _staff(app, "fig.officer", "officer", communes=[A])
    assert officer.get(f"/figures/staff/{A}").status_code == 403
    analyst = _staff(app, "fig.analyst", "analyst", communes=[FIGURES_DISTRICT])
    assert analyst.get("/figures/staff").location == f"/figures/staff/{FIGURES_DISTRICT}"
    before = len(_views(app))
    page = analyst.get(f"/figures/staff/{FIGURES_COMMUNES['C']}?lang=en")
    assert page.status_code == 200
    assert "never to be published" in page.get_data(as_text=True)
    assert f"<dd>{FIGURES_HOUSEHOLDS['C']}</dd>" in page.get_data(as_text=True)
    for outside in (FIGURES_PROVINCE, "KH", FIGURES_COMMUNES["D"], "120101"):
        assert analyst.get(f"/figures/staff/{outside}").status_code == 403, outside
        assert analyst.get(f"/figures/staff/{outside}/figures.csv").status_code == 403
    assert analyst.get(f"/figures/staff/{FIGURES_DISTRICT}/figures.csv").status_code == 200
    for hostile in ("x%00y", "9" * 20, "0702" + "1" * 5000):
        assert analyst.get(f"/figures/staff/{hostile}").status_code == 404, hostile[:10]
    assert analyst.get("/figures/staff/views").status_code == 403
    assert _views(app)[before:] == [
        ("fig.analyst", FIGURES_COMMUNES["C"], "page"),
        ("fig.analyst", FIGURES_DISTRICT, "csv"),
    ]
    admin = _staff(app, "fig.admin", "admin")
    assert admin.get("/figures/staff/KH").status_code == 200
    log = admin.get("/figures/staff/views?lang=en").get_data(as_text=True)
    assert "fig.analyst" in log and "fig.admin" in log


def test_the_job_runs_in_the_outbox_worker(figures_app):
    from portal.outbox.jobs import jobs

    assert "figures" in [job.name for job in jobs(figures_app)]
    with figures_app.app_context():
        before = editions.public().id
        editions.compute(figures_app)
        assert editions.public().id > before


@pytest.mark.parametrize("area", [[], ["99"], ["0799"], ["1"], ["070201", "abc"]])
def test_an_analyst_needs_a_real_area(figures_app, area):
    from portal.staff import services

    with (
        figures_app.test_request_context("/?lang=en"),
        db.session() as session,
        pytest.raises(services.StaffAccountError) as refused,
    ):
        services.create_account(
            session,
            username=f"an.{len(area)}.{'-'.join(area) or 'none'}"[:60],
            name="Analyst",
            role="analyst",
            communes=area,
            programmes=[],
            password="a long enough pass phrase 42",
            now=services.utcnow(),
        )
    said = " ".join(str(message) for message in refused.value.messages)
    assert "province, district or commune" in said or "needs an area" in said


def test_the_job_waits_while_the_registry_is_failing(figures_app):
    """A failing registry gets no statistics work on top (citizens' writes first)."""
    from portal.registry.client import RegistryUnavailable

    breaker = registry(figures_app).connection.breaker

    def fails():
        raise RegistryUnavailable("down")

    with pytest.raises(RegistryUnavailable):
        breaker.call(fails)
    try:
        with figures_app.app_context():
            before = editions.public().id
            assert editions.compute(figures_app).startswith("skipped")
            assert editions.public().id == before
    finally:
        breaker.call(lambda: None)  # a success closes it again
    assert not registry(figures_app).failing()
