"""Checks every HTML page a test fetches must pass (accessibility and security
basics), applied by the page-checking test client."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

LABELLED_ELSEWHERE = {"hidden", "submit", "button", "reset", "image"}


class PageProblems(AssertionError):
    pass


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.title = ""
        self._in_title = False
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, dict]] = []
        self.forms: list[dict] = []
        self.inline_scripts = 0
        self.inline_handlers: list[str] = []
        self.inline_styles = 0
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value or "") for name, value in attrs}
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "title":
            self._in_title = True
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if "style" in attributes or tag == "style":
            self.inline_styles += 1
        self.inline_handlers += [name for name in attributes if name.startswith("on")]
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        if tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        if tag == "form":
            self.forms.append({"method": attributes.get("method", "get").lower(), "csrf": False})
        if tag in {"input", "select", "textarea"}:
            attributes["_wrapped"] = self._label_depth > 0
            self.fields.append((tag, attributes))
            if (
                self.forms
                and attributes.get("name") == "csrf_token"
                and attributes.get("type") == "hidden"
            ):
                self.forms[-1]["csrf"] = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "label":
            self._label_depth = max(0, self._label_depth - 1)

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check_page(html: str, url: str) -> None:
    """Raise PageProblems listing everything wrong with one HTML page."""
    parser = _PageParser()
    parser.feed(html)
    problems = []
    if parser.html_lang not in {"km", "en"}:
        problems.append(f"<html lang> is {parser.html_lang!r}")
    if not parser.title.strip():
        problems.append("no <title>")
    duplicates = [value for value, count in Counter(parser.ids).items() if count > 1]
    if duplicates:
        problems.append(f"duplicate ids {duplicates}")
    for tag, attributes in parser.fields:
        if tag == "input" and attributes.get("type", "text") in LABELLED_ELSEWHERE:
            continue
        labelled = (
            attributes.get("id") in parser.label_for
            or attributes["_wrapped"]
            or attributes.get("aria-label")
            or attributes.get("aria-labelledby")
        )
        if not labelled:
            problems.append(f"<{tag} name={attributes.get('name')!r}> has no label")
    for number, form in enumerate(parser.forms, 1):
        if form["method"] == "post" and not form["csrf"]:
            problems.append(f"POST form #{number} has no CSRF token")
    if parser.inline_scripts:
        problems.append(f"{parser.inline_scripts} inline <script>")
    if parser.inline_handlers:
        problems.append(f"inline event handlers {parser.inline_handlers}")
    if parser.inline_styles:
        problems.append(f"{parser.inline_styles} inline styles")
    if problems:
        raise PageProblems(f"{url}: " + "; ".join(problems))
