"""Who reaches what: a citizen only their own applications (another's
reference, or nonsense: 404), programmes that do not exist (404) or take
applications elsewhere (where to apply); hostile input gives a page or a
4xx, never a 500; /me links each application to its page."""

from __future__ import annotations

import pytest

from portal.registry.server.seed import demo_id
from portal.registry_access import registry
from tests.applications.conftest import (
    READER,
    TOKEN,
    Walker,
    make_applicant,
    page_text,
    post,
    signed_in,
    text,
    verified_card,
)
from tests.registry.factories import new_phone
from tests.support.demo_data import DEMO_CITIZEN_PHONE

DEMO_APPLICATION = demo_id("application-0")  # household 0's head: pregnancy cash, submitted


@pytest.fixture(scope="module")
def demo_reference(app) -> str:
    with app.app_context():
        return registry(app).applications.read(DEMO_APPLICATION, actor=READER)["reference"]


@pytest.fixture(scope="module")
def demo_citizen(app):
    return signed_in(app, DEMO_CITIZEN_PHONE)


@pytest.fixture(scope="module")
def other(app):
    person = make_applicant(app, birth_date="1958-08-18", card=verified_card())
    walker = Walker(signed_in(app, person["phone"]))
    walker.apply("elderly_allowance")
    return walker, walker.reference()


def test_another_citizens_application_is_not_found(app, other, demo_reference):
    walker, _own = other
    client = walker.client
    assert client.get(f"/applications/{demo_reference}").status_code == 404
    assert client.get(f"/applications/{demo_reference}/withdraw").status_code == 404
    form = {"csrf_token": TOKEN.search(text(client.get("/applications/new/scholarship"))).group(1)}
    answer = client.post(f"/applications/{demo_reference}/answer", data={**form, "text": "x"})
    assert answer.status_code == 404
    withdraw = client.post(f"/applications/{demo_reference}/withdraw", data=form)
    assert withdraw.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/applications/nonsense",
        "/applications/AP-2026-12",
        "/applications/AP-2026-000000",
        "/applications/AP-2026-000001%00",
        "/applications/" + "9" * 5000,
        "/applications/new/no_such_programme",
        "/applications/new/no_such_programme/q/for-whom",
        "/applications/new/elderly_allowance/q/no-such-question",
        "/applications/new/no_such_programme/check",
        "/applications?page=99999999999999999999",
        "/applications?page=-1",
    ],
)
def test_nonsense_is_not_found(other, path):
    walker, _own = other
    assert walker.client.get(path).status_code == 404


def test_a_reference_typed_in_khmer_digits_or_small_letters_is_found(other):
    walker, reference = other
    khmer = reference.lower().translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    assert walker.client.get(f"/applications/{khmer}").status_code == 200


def test_a_programme_that_takes_applications_elsewhere_says_where(other):
    walker, _own = other
    page = walker.client.get("/applications/new/nssf_voluntary_health")
    assert page.status_code == 200
    assert "You cannot apply for this programme on this portal" in page_text(page)
    assert "An NSSF office" in page_text(page)
    listing = page_text(walker.client.get("/applications/new"))
    assert "You can apply here" in listing and "On-demand IDPoor assessment" in listing
    assert "Apply somewhere else" in listing


def test_signed_out_and_unregistered_visitors_are_sent_to_sign_in(app):
    assert app.test_client().get("/applications").status_code == 302
    stranger = signed_in(app, new_phone())  # registered nowhere
    response = stranger.get("/applications/new/elderly_allowance")
    assert response.status_code == 302 and response.location.startswith("/register")


def test_a_second_open_application_of_the_demo_citizen_is_refused(demo_citizen, demo_reference):
    response = demo_citizen.get("/applications/new/pregnancy_child_cash")
    assert response.status_code == 409
    assert f'href="/applications/{demo_reference}"' in text(response)


def test_me_links_each_application_to_its_page(demo_citizen, demo_reference):
    page = text(demo_citizen.get("/me"))
    assert f'href="/applications/{demo_reference}"' in page
    assert "Sent" in page_text(demo_citizen.get("/me"))  # the states' own words


HOSTILE = ["a\x00b", "x" * 5000, "9" * 40, "<script>", "-1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_answers_give_a_page_never_a_500(app, value):
    person = make_applicant(app, birth_date="2010-10-10", card=verified_card())
    client = signed_in(app, person["phone"])
    Walker(client).start("scholarship")
    base = "/applications/new/scholarship"
    response = post(client, f"{base}/q/school-name", {"school_name": value})
    assert response.status_code in (302, 400), response.status_code  # "<script>" is a name
    response = post(client, f"{base}/q/school-name", {"school_name": "Ou Thum school"})
    assert response.status_code == 302
    response = post(client, f"{base}/q/school", {"answer": value})
    assert response.status_code == 400
    response = post(client, f"{base}/q/school", {"answer": "7"})
    response = post(client, f"{base}/q/school-days", {"answer": value})
    assert response.status_code == 400
    json = client.post(f"{base}/q/school-days", json={"answer": value})
    assert json.status_code == 400
    pregnancy = "/applications/new/pregnancy_child_cash"
    Walker(client).start("pregnancy_child_cash")
    response = post(client, f"{pregnancy}/q/for-whom", {"for_whom": value})
    assert response.status_code == 400
    post(client, f"{pregnancy}/q/for-whom", {"for_whom": "pregnant"})
    dates = {f"expected_delivery_date-{part}": value for part in ("day", "month", "year")}
    response = post(client, f"{pregnancy}/q/expected-delivery-date", dates)
    assert response.status_code == 400
