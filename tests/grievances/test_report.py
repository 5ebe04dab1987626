"""Report a grievance through the pages, as a villager would: anonymously (in
Khmer and in English), signed in with their own phone, with another phone,
about a confidential subject; the check page, a second tap on "send", and a
registry that refuses."""

from __future__ import annotations

import re

import pytest

from portal.grievances import pin as pins
from portal.grievances import services
from portal.khmer import readable_reference
from portal.registry.client import RegistryValidationError
from portal.registry_access import registry
from tests.grievances.conftest import (
    READER,
    in_language,
    page_text,
    post,
    signed_in,
    text,
    token,
)
from tests.support.demo_data import DEMO_CITIZEN_PHONE

START = "/grievances/new"
CHECK = "/grievances/new/check"
SENT = "/grievances/sent"
WHERE = {"province": "12", "district": "1201", "commune": "120101"}
CONFIDENTIAL_NOTICE = "Only a supervisor at the ministry will read this."
PIN_SHOWN = re.compile(r"<strong class=\"ref\">(\d{3}) (\d{3})</strong>")


def answer(
    client,
    *,
    category="payment",
    programme="none",
    description=None,
    contact=None,
    phone=None,
    where=None,
) -> None:
    """Walk the questions, each answered on its page (redirected to the next)."""
    description = description or "The payment for October did not come. ខ្ញុំមិនបានទទួលប្រាក់ទេ។"
    steps = [
        ("/grievances/new/category", {"category": category}),
        ("/grievances/new/programme", {"programme": programme}),
        ("/grievances/new/what-happened", {"description": description}),
    ]
    steps += [
        (f"/grievances/new/where/{level}", {"code": code})
        for level, code in (where or WHERE).items()
    ]
    steps.append(("/grievances/new/contact", {"contact": contact}))
    if contact == "other":
        steps.append(("/grievances/new/contact-phone", {"phone_number": phone}))
    for path, data in steps:
        response = post(client, path, data)
        assert response.status_code == 302, (path, response.status_code, page_text(response))
    assert response.location == CHECK


def send(client):
    response = post(client, CHECK)
    assert response.status_code == 302 and response.location == SENT, response.status_code
    return client.get(SENT)


def reference_on(page) -> str:
    found = re.search(r"GR-(\d{4})-(\d{3}) (\d{3})", text(page))
    return f"GR-{found.group(1)}-{found.group(2)}{found.group(3)}"


def records(app, reference: str) -> list[dict]:
    with app.app_context():
        return registry(app).grievances.list(actor=READER, reference=reference).results


def sms_to(app, e164: str) -> list[str]:
    return [m.text for m in app.extensions["sms_gateway"].messages() if m.to == e164]


def sms_about(app, e164: str, reference: str) -> list[str]:
    return [m for m in sms_to(app, e164) if readable_reference(reference) in m]


@pytest.mark.parametrize("language", ["km", "en"])
def test_an_anonymous_report_end_to_end(app, language):
    client = in_language(app.test_client(), language)
    start = client.get(START)
    assert start.status_code == 200
    assert 'href="/grievances/new/category"' in text(start)
    answer(client, contact="anonymous")
    check = client.get(CHECK)
    assert check.status_code == 200
    for path in ("category", "programme", "what-happened", "where/province", "contact"):
        assert f'href="/grievances/new/{path}"' in text(check)

    page = send(client)
    assert page.status_code == 200
    reference = reference_on(page)
    shown = PIN_SHOWN.search(text(page))
    assert shown, "the PIN is shown"
    the_pin = shown.group(1) + shown.group(2)
    if language == "en":
        assert "Write down the reference number and the PIN now" in page_text(page)
    else:
        assert '<html lang="km">' in text(page) and "Write down" not in text(page)

    (record,) = records(app, reference)
    assert record["category"] == "payment" and record["commune_code"] == "120101"
    assert record["channel"] == "web" and record["confidential"] is False
    assert record["programme_id"] is None
    complainant = record["complainant"]
    assert complainant["anonymous"] is True and complainant["language"] == language
    assert "contact_phone" not in complainant and "spid" not in complainant
    assert complainant["pin_hash"]
    with app.app_context():
        assert pins.pin_matches(record, the_pin)
        assert not pins.pin_matches(record, "000000" if the_pin != "000000" else "111111")
    assert record["resolve_by"] > record["acknowledge_by"]

    again = client.get(SENT)
    assert again.status_code == 200
    assert the_pin[:3] + " " + the_pin[3:] not in text(again)
    assert reference_on(again) == reference
    if language == "en":
        assert "The PIN was shown only once" in page_text(again)
    # The draft is gone: a new report starts afresh.
    assert client.get(CHECK).location == "/grievances/new/category"


def test_the_sent_page_says_the_decision_day_in_the_page_language(app):
    client = in_language(app.test_client(), "km")
    answer(client, contact="anonymous")
    sent = send(client)
    (record,) = records(app, reference_on(sent))
    page = page_text(sent)
    year = record["resolve_by"][:4]
    khmer_year = year.translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    assert khmer_year in page


def test_a_signed_in_report_with_their_own_phone(app):
    client = signed_in(app, DEMO_CITIZEN_PHONE)
    start = page_text(client.get(START))
    assert "the report will be linked to you" in start
    post(client, "/grievances/new/category", {"category": "payment"})
    post(client, "/grievances/new/programme", {"programme": "none"})
    post(client, "/grievances/new/what-happened", {"description": "No payment in March."})
    # Their address in the registry is offered at each level.
    province = text(client.get("/grievances/new/where/province"))
    assert re.search(r'value="\d{2}" checked', province)
    for level in ("province", "district", "commune"):
        page = text(client.get(f"/grievances/new/where/{level}"))
        code = re.search(r'value="(\d+)" checked', page).group(1)
        assert post(client, f"/grievances/new/where/{level}", {"code": code}).status_code == 302
    contact = page_text(client.get("/grievances/new/contact"))
    assert "My phone, 012 000 045" in contact
    assert post(client, "/grievances/new/contact", {"contact": "mine"}).location == CHECK
    page = send(client)
    reference = reference_on(page)
    assert "You will get a text message" in page_text(page)
    assert "Your PIN" not in text(page)

    (record,) = records(app, reference)
    complainant = record["complainant"]
    e164 = "+855" + DEMO_CITIZEN_PHONE.replace(" ", "").lstrip("0")
    assert complainant["anonymous"] is False and complainant["spid"]
    assert complainant["contact_phone"] == e164
    assert "pin_hash" not in complainant
    assert len(sms_about(app, e164, reference)) == 1


def test_another_phone_without_signing_in(app):
    client = in_language(app.test_client(), "en")
    answer(client, category="eligibility", contact="other", phone="០៩៧ ៧៥៤ ៣២១")
    check = page_text(client.get(CHECK))
    assert "097 754 321" in check
    page = send(client)
    reference = reference_on(page)
    (record,) = records(app, reference)
    complainant = record["complainant"]
    assert complainant == {**complainant, "anonymous": False, "contact_phone": "+85597754321"}
    assert "spid" not in complainant and "pin_hash" not in complainant
    assert len(sms_about(app, "+85597754321", reference)) == 1


def test_my_phone_is_offered_only_when_signed_in(app):
    client = in_language(app.test_client(), "en")
    answer(client, contact="anonymous")
    page = client.get("/grievances/new/contact")
    assert 'value="mine"' not in text(page)
    response = post(client, "/grievances/new/contact", {"contact": "mine"})
    assert response.status_code == 400


@pytest.mark.parametrize("category", ["fraud", "staff_conduct", "abuse"])
def test_a_confidential_report_says_who_will_see_it(app, category):
    client = in_language(app.test_client(), "en")
    post(client, "/grievances/new/category", {"category": category})
    for path in ("programme", "what-happened", "where/province", "contact"):
        page = client.get(f"/grievances/new/{path}")
        if page.status_code == 302:
            break
        assert CONFIDENTIAL_NOTICE in page_text(page), path
    answer(client, category=category, contact="anonymous")
    assert CONFIDENTIAL_NOTICE in page_text(client.get(CHECK))
    page = send(client)
    assert "A supervisor at the ministry reads your report" in page_text(page)
    (record,) = records(app, reference_on(page))
    assert record["confidential"] is True and record["category"] == category


def test_a_non_confidential_report_does_not_say_so(app):
    client = in_language(app.test_client(), "en")
    answer(client, contact="anonymous")
    assert CONFIDENTIAL_NOTICE not in page_text(client.get(CHECK))


def test_skipping_ahead_goes_to_the_first_question_not_answered(app):
    client = in_language(app.test_client(), "en")
    for path in (
        CHECK,
        "/grievances/new/programme",
        "/grievances/new/where/commune",
        "/grievances/new/contact",
        "/grievances/new/contact-phone",
    ):
        assert client.get(path).location == "/grievances/new/category", path
    post(client, "/grievances/new/category", {"category": "other"})
    assert client.get(CHECK).location == "/grievances/new/programme"
    post(client, "/grievances/new/programme", {"programme": "none"})
    post(client, "/grievances/new/what-happened", {"description": "Something else."})
    assert client.get("/grievances/new/where/commune").location == "/grievances/new/where/province"
    assert client.get(CHECK).location == "/grievances/new/where/province"
    # A post to a later question does not count either.
    form = {"csrf_token": token(client, "/grievances/new/category"), "contact": "anonymous"}
    response = client.post("/grievances/new/contact", data=form)
    assert response.location == "/grievances/new/where/province"
    # Another phone chosen, but no number yet.
    for level, code in WHERE.items():
        post(client, f"/grievances/new/where/{level}", {"code": code})
    assert post(client, "/grievances/new/contact", {"contact": "other"}).location == (
        "/grievances/new/contact-phone"
    )
    assert client.get(CHECK).location == "/grievances/new/contact-phone"
    assert client.get(SENT).location == START


def test_a_change_from_the_check_page_comes_back_to_it(app):
    client = in_language(app.test_client(), "en")
    answer(client, contact="anonymous")
    page = client.get("/grievances/new/what-happened")
    assert "The payment for October did not come." in text(page)
    response = post(client, "/grievances/new/what-happened", {"description": "Changed."})
    assert response.location == CHECK
    # A new province forgets the district and commune.
    response = post(client, "/grievances/new/where/province", {"code": "01"})
    assert response.location == "/grievances/new/where/district"


def test_a_second_tap_on_send_sends_once(app):
    client = in_language(app.test_client(), "en")
    answer(client, contact="other", phone="012 777 888")
    form = {
        "csrf_token": re.search(
            r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', text(client.get(CHECK))
        ).group(1)
    }
    first = client.post(CHECK, data=form)
    second = client.post(CHECK, data=form)
    assert first.location == SENT and second.location == SENT
    reference = reference_on(client.get(SENT))
    assert len(records(app, reference)) == 1
    assert len(sms_about(app, "+85512777888", reference)) == 1


def test_the_same_draft_sent_again_is_the_same_submission(app):
    """Two requests that both find the draft (sent at the same moment) make one record."""
    client = in_language(app.test_client(), "en")
    answer(client, contact="anonymous")
    with client.session_transaction() as session:
        kept = dict(session["grievance_draft"])
    send(client)
    with client.session_transaction() as session:
        session["grievance_draft"] = kept
    page = send(client)
    assert len(records(app, reference_on(page))) == 1


def test_a_refusal_is_shown_on_the_check_page_and_nothing_is_lost(app, monkeypatch):
    client = in_language(app.test_client(), "en")
    answer(client, contact="anonymous")

    def refuse(*args, **kwargs):
        raise RegistryValidationError("refused for this test", status=422)

    monkeypatch.setattr(services.outbox, "submit", refuse)
    response = post(client, CHECK)
    assert response.status_code == 422
    assert "The registry did not accept this report" in page_text(response)
    monkeypatch.undo()
    assert client.get(CHECK).status_code == 200
    assert send(client).status_code == 200
