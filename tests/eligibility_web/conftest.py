import re

import pytest

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class ScreenerWalk:
    """Answers the screener's questions through HTTP like a person would."""

    def __init__(self, client, lang="en"):
        self.client = client
        self.client.get(f"/eligibility?lang={lang}")
        self.asked: list[str] = []

    def token(self, path: str) -> str:
        return TOKEN.search(self.client.get(path).get_data(as_text=True)).group(1)

    def current(self) -> str:
        return self.client.get("/eligibility/next").location

    def answer(self, slug: str, **data):
        path = f"/eligibility/q/{slug}"
        assert self.current() == path, f"expected to be asked {slug}, got {self.current()}"
        self.asked.append(slug)
        fields = {"csrf_token": self.token(path)}
        for name, value in data.items():
            fields[name.replace("_", "-")] = value
        return self.client.post(path, data=fields)

    def date(self, slug: str, day, month, year):
        return self.answer(slug, answer_day=day, answer_month=month, answer_year=year)

    def unknown_until_done(self):
        while (path := self.current()).startswith("/eligibility/q/"):
            self.asked.append(path.rsplit("/", 1)[1])
            self.client.post(path, data={"csrf_token": self.token(path), "action": "unknown"})


@pytest.fixture
def walk(client):
    return ScreenerWalk(client)
