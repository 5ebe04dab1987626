"""The results page reads well in both languages: Khmer punctuation, and no
empty amount when the amount is not known yet."""

import re

from tests.eligibility_web.conftest import ScreenerWalk


def pregnant_woman(client, lang: str, equity_card: str | None) -> str:
    walk = ScreenerWalk(client, lang=lang)
    walk.date("birth-date", "1", "5", "1995")
    walk.answer("sex", answer="female")
    if equity_card is None:
        walk.answer("equity-card", action="unknown")
        walk.answer("equity-card-end", action="unknown")
    else:
        walk.answer("equity-card", answer=equity_card)
        walk.date("equity-card-end", "30", "6", "2099")
    walk.answer("work", action="unknown")
    walk.answer("pregnant", answer="yes")
    walk.unknown_until_done()
    return client.get("/eligibility/results").get_data(as_text=True).split("<main")[1]


def test_khmer_results_use_the_khmer_colon(client):
    main = pregnant_woman(client, "km", equity_card="1")
    assert "ការសម្រាលកូន៖ <strong>៤០០,០០០៛</strong>" in main
    text = re.sub(r"<[^>]+>", "", main)
    assert not re.search(r"[\u1780-\u17ff]\s*:", text)


def test_an_amount_not_known_yet_is_said_in_words(client):
    main = pregnant_woman(client, "en", equity_card=None)
    assert "Giving birth: paid once, the amount is not known yet" in main
    assert (
        "Pregnancy check-up at a health centre: <strong>80,000 riel</strong> (up to 4 times)"
        in main
    )
    assert "<strong></strong>" not in main


def test_an_amount_not_known_yet_in_khmer(client):
    main = pregnant_woman(client, "km", equity_card=None)
    assert "<strong></strong>" not in main
    assert "ការសម្រាលកូន៖ " in main
    assert "(ម្តង)" not in main.split("ការសម្រាលកូន៖")[1].split("</li>")[0]


def visible_text(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])


def test_every_khmer_screener_page_shows_only_khmer_digits(client):
    from portal.eligibility.questions import BY_SLUG

    client.get("/eligibility?lang=km")
    for slug in BY_SLUG:
        text = visible_text(client.get(f"/eligibility/q/{slug}").get_data(as_text=True))
        assert not re.search(r"[0-9]", text), (slug, text)
    main = pregnant_woman(client, "km", equity_card="1")
    assert not re.search(r"[0-9]", visible_text("<main" + main)), "results"


def test_khmer_check_results_and_summary_show_only_khmer_digits(client):
    walk = ScreenerWalk(client, lang="km")
    walk.date("birth-date", "14", "3", "2012")
    walk.answer("sex", answer="female")
    walk.answer("equity-card", answer="2")
    walk.date("equity-card-end", "30", "6", "2099")
    walk.answer("work", answer="none")
    walk.answer("pregnant", answer="no")
    walk.answer("child-in-household", answer="yes")
    walk.answer("disability-card", answer="no_card")
    walk.answer("hiv", answer="no")
    walk.answer("household-hiv", answer="no")
    walk.answer("school", answer="8")
    walk.answer("school-days", answer="៩")
    walk.unknown_until_done()
    for path in ("/eligibility/check", "/eligibility/results", "/eligibility/summary"):
        text = visible_text(client.get(path).get_data(as_text=True))
        assert not re.search(r"[0-9]", text), (path, text)
