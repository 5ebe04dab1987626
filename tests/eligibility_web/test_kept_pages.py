"""The screener's pages are kept per answers (portal.web.visitor_pages): every
visitor with the same answers gets the same page, made once; a different
answer, another day, a sign-in or a message waiting gets a page of its own."""

from __future__ import annotations

import gzip

import pytest
import time_machine

from tests.eligibility_web.conftest import TOKEN, ScreenerWalk
from tests.sessions.test_server_sessions import SIGNED_IN_MARK, sign_in_citizen

SCREENER_PAGES = ["/eligibility/q/sex", "/eligibility/check", "/eligibility/results"]


def born_1990(client) -> ScreenerWalk:
    walk = ScreenerWalk(client)
    walk.date("birth-date", "15", "3", "1990")
    return walk


def without_token(page: str) -> str:
    return TOKEN.sub("", page)


@pytest.mark.parametrize("path", SCREENER_PAGES)
def test_the_same_answers_give_the_same_page_made_once(app, renders, path):
    first, second = born_1990(app.test_client()), born_1990(app.test_client())
    renders.clear()

    pages = [walk.client.get(path) for walk in (first, second)]

    assert [page.status_code for page in pages] == [200, 200]
    assert len(renders) == 1
    texts = [page.get_data(as_text=True) for page in pages]
    assert without_token(texts[0]) == without_token(texts[1])
    if path != "/eligibility/check":  # a form: each visitor has their own token
        tokens = [TOKEN.search(text).group(1) for text in texts]
        assert tokens[0] != tokens[1]


def test_each_visitor_acts_with_their_own_token_from_a_kept_page(app):
    walks = [born_1990(app.test_client()) for _ in range(2)]
    tokens = [
        TOKEN.search(walk.client.get("/eligibility/q/sex").get_data(as_text=True)).group(1)
        for walk in walks
    ]

    stolen = walks[1].client.post(
        "/eligibility/q/sex", data={"csrf_token": tokens[0], "answer": "female"}
    )
    own = walks[1].client.post(
        "/eligibility/q/sex", data={"csrf_token": tokens[1], "answer": "female"}
    )

    assert stolen.status_code != 302
    assert own.status_code == 302
    assert "Woman" in walks[1].client.get("/eligibility/check").get_data(as_text=True)
    assert "Woman" not in walks[0].client.get("/eligibility/check").get_data(as_text=True)


def test_a_different_or_changed_answer_gets_its_own_page(app):
    first, second = born_1990(app.test_client()), ScreenerWalk(app.test_client())
    second.date("birth-date", "2", "11", "1961")

    assert "15 March 1990" in first.client.get("/eligibility/check").get_data(as_text=True)
    assert "2 November 1961" in second.client.get("/eligibility/check").get_data(as_text=True)

    first.client.post(
        "/eligibility/q/birth-date",
        data={
            "csrf_token": first.token("/eligibility/q/birth-date"),
            "answer-day": "2",
            "answer-month": "11",
            "answer-year": "1961",
        },
    )
    changed = first.client.get("/eligibility/check").get_data(as_text=True)
    assert "2 November 1961" in changed and "15 March 1990" not in changed


def test_a_question_page_shows_the_answer_already_given(app):
    answered = born_1990(app.test_client())
    fresh = ScreenerWalk(app.test_client())

    again = answered.client.get("/eligibility/q/birth-date").get_data(as_text=True)
    empty = fresh.client.get("/eligibility/q/birth-date").get_data(as_text=True)

    assert 'value="1990"' in again
    assert 'value="1990"' not in empty
    # The question after it links back to it; the first has no question before it.
    assert 'href="/eligibility/q/birth-date" class="back"' in answered.client.get(
        "/eligibility/q/sex"
    ).get_data(as_text=True)
    assert 'href="/eligibility" class="back"' in empty


def test_results_are_made_again_on_another_day(app, renders):
    with time_machine.travel("2027-03-14 20:00Z", tick=False):
        walk = born_1990(app.test_client())
        walk.unknown_until_done()
        before = walk.client.get("/eligibility/results").get_data(as_text=True)
    with time_machine.travel("2027-03-15 02:00Z", tick=False):  # the session is still alive
        renders.clear()
        after = walk.client.get("/eligibility/results").get_data(as_text=True)

    assert "14 March 2027" in before
    assert "15 March 2027" in after
    assert len(renders) == 1


def test_a_signed_in_citizen_gets_pages_made_for_them(app, client, renders):
    born_1990(app.test_client()).client.get("/eligibility/check")
    sign_in_citizen(client, app)
    client.get("/eligibility?lang=en")
    walk = ScreenerWalk(client)
    walk.unknown_until_done()
    renders.clear()

    page = client.get("/eligibility/check").get_data(as_text=True)

    assert SIGNED_IN_MARK in page
    assert len(renders) == 1


def test_a_message_waiting_is_shown_not_lost(app):
    walk = born_1990(app.test_client())
    walk.client.get("/eligibility/check")  # kept for these answers
    with walk.client.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this visitor")]

    assert "A message for this visitor" in walk.client.get("/eligibility/check").get_data(
        as_text=True
    )
    assert "A message for this visitor" not in born_1990(app.test_client()).client.get(
        "/eligibility/check"
    ).get_data(as_text=True)


def test_a_kept_page_is_compressed_once_and_reads_the_same(app):
    plain = app.test_client().get("/about/data").get_data()
    zipped = [
        app.test_client().get("/about/data", headers={"Accept-Encoding": "gzip"}) for _ in range(2)
    ]

    assert [page.headers["Content-Encoding"] for page in zipped] == ["gzip", "gzip"]
    assert zipped[0].get_data() == zipped[1].get_data()
    assert gzip.decompress(zipped[1].get_data()) == plain
