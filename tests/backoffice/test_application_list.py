"""/backoffice/applications: what each officer sees (their programmes, their
communes), the filters, the order and the pages."""

from __future__ import annotations

from portal.backoffice import services
from tests.backoffice.conftest import (
    COMMUNE,
    OTHER_COMMUNE,
    OTHER_PROGRAMME,
    OTHER_VILLAGE,
    PROGRAMME,
    applicant,
    application,
    detail_path,
    page,
    staff_client,
    submitted_days_ago,
)

LIST = "/backoffice/applications"


def references(response) -> list[str]:
    """References in the list, in the order shown (shown grouped for reading
    aloud, AP-2026-004 217: given back without the space)."""
    text = page(response)
    shown = [part.split("</a>")[0].split(">")[-1] for part in text.split('<td><a href="')[1:]]
    return [reference.replace(" ", "") for reference in shown]


def test_a_programme_officer_sees_only_their_programmes_from_every_commune(app, programme_officer):
    here = application(app, applicant(app), PROGRAMME)
    far = application(app, applicant(app, village=OTHER_VILLAGE), PROGRAMME)
    other = application(app, applicant(app), OTHER_PROGRAMME)
    response = programme_officer.get(LIST)
    assert response.status_code == 200
    shown = references(response)
    assert here["reference"] in shown and far["reference"] in shown
    assert other["reference"] not in shown
    text = page(response)
    assert "Cash for pregnant women" in text
    assert "Tonle Basak" in text  # the commune's name, from the gazetteer
    assert "Chan" not in text and "សុខា" not in text  # no names in the list


def test_a_commune_officer_sees_only_their_communes_for_every_programme(app, commune_officer):
    here = application(app, applicant(app), PROGRAMME)
    here_other_programme = application(app, applicant(app), OTHER_PROGRAMME)
    far = application(app, applicant(app, village=OTHER_VILLAGE), PROGRAMME)
    shown = references(commune_officer.get(LIST))
    assert here["reference"] in shown and here_other_programme["reference"] in shown
    assert far["reference"] not in shown
    assert "Import a payment file" not in page(commune_officer.get(LIST))


def test_filters_by_state_programme_and_commune(app):
    officer = staff_client(
        app, "prog.two", "programme_officer", programmes=[PROGRAMME, OTHER_PROGRAMME]
    )
    sent = application(app, applicant(app), PROGRAMME)
    received = application(app, applicant(app), PROGRAMME, state="received")
    elderly = application(app, applicant(app, village=OTHER_VILLAGE), OTHER_PROGRAMME)
    by_state = references(officer.get(f"{LIST}?state=received"))
    assert by_state == [received["reference"]]
    by_programme = references(officer.get(f"{LIST}?programme={OTHER_PROGRAMME}"))
    assert by_programme == [elderly["reference"]]
    by_commune = references(officer.get(f"{LIST}?commune={OTHER_COMMUNE}"))
    assert by_commune == [elderly["reference"]]
    in_khmer_digits = references(officer.get(f"{LIST}?commune=០១០២០១"))
    assert in_khmer_digits == [elderly["reference"]]
    everything = references(officer.get(LIST))
    assert set(everything) == {sent["reference"], received["reference"], elderly["reference"]}


def test_a_commune_officer_chooses_among_their_communes_only(app):
    officer = staff_client(app, "officer.two", "officer", communes=[COMMUNE, OTHER_COMMUNE])
    here = application(app, applicant(app), PROGRAMME)
    far = application(app, applicant(app, village=OTHER_VILLAGE), PROGRAMME)
    assert references(officer.get(f"{LIST}?commune={OTHER_COMMUNE}")) == [far["reference"]]
    assert set(references(officer.get(LIST))) == {here["reference"], far["reference"]}
    outside = officer.get(f"{LIST}?commune=120102")
    assert outside.status_code == 400 and "Not a valid choice" in page(outside)


def test_bad_filters_are_said_not_sent(app, programme_officer):
    application(app, applicant(app), PROGRAMME)
    for query in (
        "state=paid",
        "programme=elderly_allowance",  # not one of theirs
        "commune=12",
        "commune=999999",
        "older_than=-1",
        "older_than=99999999999999999999",
        "order=random",
    ):
        response = programme_officer.get(f"{LIST}?{query}")
        assert response.status_code == 400, query
        assert "There is a problem" in page(response)
        assert references(response) == []


def test_older_than_and_oldest_first(app, programme_officer):
    old = application(app, applicant(app), PROGRAMME)
    older = application(app, applicant(app), PROGRAMME)
    new = application(app, applicant(app), PROGRAMME)
    submitted_days_ago(app, old["id"], 10)
    submitted_days_ago(app, older["id"], 40)
    assert references(programme_officer.get(f"{LIST}?older_than=7")) == [
        old["reference"],
        older["reference"],
    ]
    assert references(programme_officer.get(f"{LIST}?older_than=30")) == [older["reference"]]
    assert references(programme_officer.get(f"{LIST}?older_than=30&order=oldest")) == [
        older["reference"]
    ]
    assert references(programme_officer.get(f"{LIST}?order=oldest")) == [
        older["reference"],
        old["reference"],
        new["reference"],
    ]
    text = page(programme_officer.get(f"{LIST}?older_than=30"))
    assert "<td>40</td>" in text  # days waiting


def test_days_waiting_stop_once_finished(app, programme_officer):
    refused = application(app, applicant(app), PROGRAMME, state="refused")
    submitted_days_ago(app, refused["id"], 5)
    text = page(programme_officer.get(LIST))
    assert "<td>–</td>" in text


def test_pages_of_twenty_and_a_page_too_far_is_not_found(app, programme_officer):
    person = applicant(app)
    made = [application(app, person, PROGRAMME) for _ in range(services.PAGE_SIZE + 1)]
    first = references(programme_officer.get(LIST))
    second = references(programme_officer.get(f"{LIST}?page=2"))
    assert len(first) == services.PAGE_SIZE and len(second) == 1
    assert second == [made[0]["reference"]]  # newest first: the first made comes last
    assert 'rel="next"' in page(programme_officer.get(LIST))
    for bad in ("3", "0", "-1", "x", "99999999999"):
        assert programme_officer.get(f"{LIST}?page={bad}").status_code == 404, bad


def test_the_list_links_to_each_application(app, programme_officer):
    record = application(app, applicant(app), PROGRAMME)
    assert f'href="{detail_path(record)}"' in page(programme_officer.get(LIST))


def test_khmer_list(app, programme_officer):
    application(app, applicant(app), PROGRAMME)
    text = page(programme_officer.get(f"{LIST}?lang=km"))
    assert 'lang="km"' in text
    assert "AP-២" in text  # the reference in Khmer digits
