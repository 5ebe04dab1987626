"""The supervisors' dashboard: its counts match what the registry says (counted
here with the registry's own list filters, not with the dashboard's module),
narrowed by commune and subject; the median days to decide; supervisors only;
a case that names a supervisor is not counted for them; a light, checked page."""

from __future__ import annotations

import datetime as dt
import html
import re
import statistics

import pytest
from sqlalchemy import update

from portal import gazetteer
from portal.grievances import states
from portal.grievances.categories import CATEGORIES, words
from portal.local_time import local_day, today
from portal.registry.client import Actor
from portal.registry.server.models import Grievance
from portal.registry_access import registry
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.conftest import development_app
from tests.grievances.conftest import make_case, move, signed_in
from tests.staff.conftest import create_staff, sign_in
from tests.support.demo_data import load_demo_population

PATH = "/backoffice/dashboard"
SUPERVISOR = "super.chan"
OTHER_SUPERVISOR = "super.dara"
READER = Actor(actor="test:reader", purpose="test check", on_behalf_of="self")
OPEN_STATES = ("received", "acknowledged", "investigating", "reopened")
OPEN = ",".join(OPEN_STATES)
DEMO_CITIZEN_PHONE = "013 000 041"


def quiet_commune(province: str) -> str:
    """A commune the demo population has no case in (the second of a district)."""
    return gazetteer.communes(gazetteer.districts(province)[0].code)[1].code


TIMED, EXCLUDING, NARROWED = quiet_commune("12"), quiet_commune("17"), quiet_commune("08")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = development_app(tmp_path_factory.mktemp("dashboard"), SMS_RATE="1000/second")
    load_demo_population(app)
    return app


def staff_client(app, username: str, role: str, **scope):
    secret = create_staff(app, username, role, **scope)
    client = app.test_client()
    assert sign_in(client, username, secret).status_code == 302
    client.get("/?lang=en")
    return client


@pytest.fixture(scope="module")
def supervisor(app):
    return staff_client(app, SUPERVISOR, "grievance_supervisor")


# What the registry says


def registry_count(app, username: str = SUPERVISOR, **filters) -> int:
    with app.app_context():
        found = registry(app).grievances.list(
            actor=READER, page_size=1, visible_to=username, **filters
        )
    return found.count


def registry_cases(app, **filters) -> list[dict]:
    cases, page = [], 1
    with app.app_context():
        while True:
            found = registry(app).grievances.list(
                actor=READER, page=page, page_size=100, visible_to=SUPERVISOR, **filters
            )
            cases.extend(found.results)
            if not found.next:
                return cases
            page += 1


def expected_median(cases: list[dict]) -> float | None:
    days = [
        (local_day(case["decided_at"]) - local_day(case["created_at"])).days
        for case in cases
        if case.get("decided_at")
    ]
    return round(statistics.median(days), 1) if days else None


# What the page says


def tables(response) -> dict[str, dict[str, list[str]]]:
    """Each table's rows by caption: {row heading: [cells]}."""
    markup = response.get_data(as_text=True)
    found = {}
    for caption, body in re.findall(r"<caption>(.*?)</caption>(.*?)</table>", markup, re.S):
        rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S)
        found[html.unescape(caption)] = {
            html.unescape(label): [
                html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", cells)
            ]
            for label, cells in rows
        }
    return found


def summary(response) -> dict[str, str]:
    markup = response.get_data(as_text=True)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", markup, re.S)
    return {html.unescape(key): html.unescape(value) for key, value in pairs}


def number(text: str) -> float | None:
    return None if text == "–" else float(text.replace(",", ""))


def status_words(app) -> dict[str, str]:
    with app.test_request_context("/?lang=en"):
        return {state: str(states.words(state)[0]) for state in OPEN_STATES}


def subject_words(app) -> dict[str, str]:
    with app.test_request_context("/?lang=en"):
        return {category: str(words(category)) for category in CATEGORIES}


def dashboard(client, **query):
    response = client.get(PATH, query_string=query)
    assert response.status_code == 200, response.status_code
    return response


def test_the_counts_match_the_registry_for_the_demo_data(app, supervisor):
    make_case(app, category="payment", commune=NARROWED)
    late = make_case(
        app,
        category="eligibility",
        commune=NARROWED,
        acknowledge_by="2019-12-20",
        resolve_by="2020-01-01",
    )
    move(app, late, "investigating", reason="test")

    response = dashboard(supervisor)
    shown = tables(response)
    in_short = summary(response)
    day = today().isoformat()

    assert number(in_short["Open complaints"]) == registry_count(app, grievance_status=OPEN) > 0
    overdue = registry_count(app, grievance_status=OPEN, due_before=day)
    assert overdue > 0
    assert number(in_short["Overdue (open after the day to resolve them)"]) == overdue

    by_state = shown["Open complaints by state"]
    for state, label in status_words(app).items():
        assert number(by_state[label][0]) == registry_count(app, grievance_status=state), state
    by_subject = shown["Open complaints by subject"]
    for category, label in subject_words(app).items():
        expected = registry_count(app, grievance_status=OPEN, category=category)
        assert number(by_subject[label][0]) == expected, category

    by_commune = shown["Complaints by commune"]
    codes = {case["commune_code"] for case in registry_cases(app, grievance_status=OPEN)}
    assert NARROWED in codes and len(by_commune) == min(len(codes), 20)
    for code in codes:
        name = gazetteer.commune(code).name_en
        if name not in by_commune:
            continue  # beyond the 20 communes shown
        open_cases, overdue_cases, _days = by_commune[name]
        assert number(open_cases) == registry_count(
            app, grievance_status=OPEN, commune_code=code
        ), code
        assert number(overdue_cases) == registry_count(
            app, grievance_status=OPEN, commune_code=code, due_before=day
        ), code

    since = (today() - dt.timedelta(days=90)).isoformat()
    decided = registry_cases(app, decided_after=since)
    median = expected_median(decided)
    shown_median = in_short["Median days from report to decision"]
    assert number(shown_median) == median


def test_a_commune_and_a_subject_narrow_every_figure(app, supervisor):
    make_case(app, category="eligibility", commune=NARROWED)
    make_case(app, category="payment", commune=NARROWED)
    day = today().isoformat()
    response = dashboard(supervisor, commune=NARROWED, category="eligibility")
    shown, in_short = tables(response), summary(response)
    expected = registry_count(
        app, grievance_status=OPEN, commune_code=NARROWED, category="eligibility"
    )
    assert expected >= 1
    assert number(in_short["Open complaints"]) == expected
    assert number(in_short["Overdue (open after the day to resolve them)"]) == registry_count(
        app, grievance_status=OPEN, commune_code=NARROWED, category="eligibility", due_before=day
    )
    by_subject = shown["Open complaints by subject"]
    assert number(by_subject[subject_words(app)["eligibility"]][0]) == expected
    assert number(by_subject[subject_words(app)["payment"]][0]) == 0
    assert list(shown["Complaints by commune"]) == [gazetteer.commune(NARROWED).name_en]
    markup = response.get_data(as_text=True)
    assert f"export.csv?commune={NARROWED}&amp;category=eligibility" in markup
    links = re.findall(r'href="(/backoffice/grievances[^"]*)"', markup)
    assert len(links) == 3 and any("view=overdue" in link for link in links)
    for link in links:  # the queue's views and its CSV, narrowed the same way
        assert supervisor.get(html.unescape(link)).status_code == 200, link


def decided_days_after_report(app, case: dict, days: int) -> None:
    """Resolve the case now, then move its report back ``days`` days (in the
    registry's own table), so it took ``days`` days to decide."""
    decided = move(app, case, "resolved", reason="test", decision_code="upheld")
    moment = dt.datetime.fromisoformat(decided["decided_at"].replace("Z", "+00:00"))
    with app.app_context():
        embedded = registry(app).embedded_app
        with embedded.extensions["registry.sessions"]() as session:
            session.execute(
                update(Grievance)
                .where(Grievance.id == case["id"])
                .values(created_at=moment - dt.timedelta(days=days))
            )
            session.commit()


def test_median_days_to_decide(app, supervisor):
    response = dashboard(supervisor, commune=TIMED)
    assert summary(response)["Median days from report to decision"] == "–"

    same_day = make_case(app, commune=TIMED)
    move(app, same_day, "resolved", reason="test", decision_code="upheld")
    assert (
        summary(dashboard(supervisor, commune=TIMED))["Median days from report to decision"] == "0"
    )

    for days in (3, 9):
        decided_days_after_report(app, make_case(app, commune=TIMED), days)
    make_case(app, commune=TIMED)  # still open: not counted
    response = dashboard(supervisor, commune=TIMED)
    in_short = summary(response)
    assert in_short["Median days from report to decision"] == "3"  # of 0, 3 and 9
    assert number(in_short["Decided since " + _day_words(app)]) == 3
    row = tables(response)["Complaints by commune"][gazetteer.commune(TIMED).name_en]
    assert [number(cell) for cell in row] == [1, 0, 3]


def _day_words(app) -> str:
    from portal.i18n import format_date

    with app.test_request_context("/?lang=en"):
        return format_date(today() - dt.timedelta(days=90))


def test_a_supervisor_named_in_a_case_does_not_see_it_counted(app, supervisor):
    make_case(app, category="staff_conduct", commune=EXCLUDING, excluded_staff=[SUPERVISOR])
    other = staff_client(app, OTHER_SUPERVISOR, "grievance_supervisor")

    mine = summary(dashboard(supervisor, commune=EXCLUDING))
    theirs = summary(dashboard(other, commune=EXCLUDING))
    assert number(mine["Open complaints"]) == 0
    assert number(theirs["Open complaints"]) == 1
    assert registry_count(app, OTHER_SUPERVISOR, grievance_status=OPEN, commune_code=EXCLUDING) == 1


@pytest.mark.parametrize(
    "role, scope",
    [
        ("grievance_handler", {"communes": ["120101"]}),
        ("officer", {}),
        ("programme_officer", {}),
        ("admin", {}),
    ],
)
def test_other_staff_are_refused(app, role, scope):
    client = staff_client(app, f"not.{role.replace('_', '.')}", role, **scope)
    assert client.get(PATH).status_code == 403


def test_citizens_are_refused_and_strangers_sent_to_sign_in(app):
    assert signed_in(app, DEMO_CITIZEN_PHONE).get(PATH).status_code == 403
    stranger = app.test_client().get(PATH)
    assert stranger.status_code == 302 and "/staff/login" in stranger.location


@pytest.mark.parametrize(
    "query",
    [
        {"commune": "\x00"},
        {"commune": "9" * 20},
        {"commune": "x" * 5000},
        {"commune": "999999"},
        {"category": "nope\x00"},
    ],
)
def test_hostile_filters_are_form_errors(supervisor, query):
    response = supervisor.get(PATH, query_string=query)
    assert response.status_code == 200
    assert 'class="err-sum' in response.get_data(as_text=True)


def test_the_page_is_light_and_in_khmer_digits(app, supervisor):
    weight = measure(supervisor, PATH)
    assert weight.total <= FIRST_ROUND_TRIP_BYTES, weight
    khmer = supervisor.get(PATH, query_string={"lang": "km"})
    markup = khmer.get_data(as_text=True)
    assert 'role="img"' in markup and "<rect" in markup and "<title id=" in markup
    open_count = registry_count(app, grievance_status=OPEN)
    digits = str(open_count).translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    assert f"<dd>{digits}</dd>" in markup
    assert "style=" not in markup
    assert measure(supervisor, PATH).total <= FIRST_ROUND_TRIP_BYTES
    supervisor.get("/?lang=en")
