"""Templates compiled once per language, with their texts already translated.

A page has dozens of `_("...")` texts. Looked up while the page is made, each
costs a catalogue lookup and a few function calls, on every request. Instead,
each template is compiled once for Khmer and once for English: while the
Khmer version is compiled, `_("Sign in")` becomes the Khmer text itself, a
constant that Jinja joins with the HTML around it.

- The template named `km:layout.html` is `layout.html` compiled for Khmer.
  `render_template("layout.html")` picks the version of the page's language;
  the templates it extends, includes or imports come in the same language.
- Only a call with a literal text is translated in advance: `_("Hello")`
  exactly as `gettext` would at run time (a `Markup`, formatted with no
  values), and `_("Hi %(name)s", name=...)` becomes the translated text
  formatted at run time. Anything else (`_(variable)`) is left to run time.
- `current_language()` becomes the language's code.
- The catalogues are read once per process (as Flask-Babel does), so a
  changed catalogue is seen after a restart, as before.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask
from flask.templating import Environment
from flask_babel import force_locale, get_translations
from jinja2 import BaseLoader, TemplateNotFound, pass_eval_context
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from portal.i18n import LANGUAGES, current_language

SEPARATOR = ":"
FORMAT = "_translated"  # the global that formats an already translated text


def language_of(name: str | None) -> str | None:
    if not name or SEPARATOR not in name:
        return None
    language = name.split(SEPARATOR, 1)[0]
    return language if language in LANGUAGES else None


def in_language(name: str, language: str) -> str:
    return f"{language}{SEPARATOR}{name}"


class LanguageLoader(BaseLoader):
    """Finds `km:layout.html` where the app's loader finds `layout.html`."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment, template: str):
        if language_of(template) is None:
            raise TemplateNotFound(template)
        return self.loader.get_source(environment, template.split(SEPARATOR, 1)[1])

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


class LanguageEnvironment(Environment):
    """Flask's Jinja environment, with each template in each language."""

    def __init__(self, app: Flask, **options) -> None:
        extensions = [*options.pop("extensions", ()), TranslatedTexts]
        super().__init__(app, extensions=extensions, **options)
        self.loader = LanguageLoader(self.loader)
        self.globals[FORMAT] = _format_translated

    def join_path(self, template: str, parent: str) -> str:
        language = language_of(parent)
        if language is None or language_of(template) is not None:
            return template
        return in_language(template, language)

    def _for_page(self, name):
        if isinstance(name, str) and language_of(name) is None:
            return in_language(name, current_language())
        return name

    def get_template(self, name, parent=None, globals=None):
        if parent is None:
            name = self._for_page(name)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        if parent is None and not isinstance(names, str):
            names = [self._for_page(name) for name in names]
        return super().select_template(names, parent, globals)


@pass_eval_context
def _format_translated(eval_ctx, text: str, **values) -> str:
    """What newstyle gettext does after the lookup: Markup, then `%` formatting."""
    return (Markup(text) if eval_ctx.autoescape else text) % values  # noqa: S704 (our catalogue)


class TranslatedTexts(Extension):
    """Translates literal `_("...")` texts while a template is compiled."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        language = language_of(stream.name)
        tokens = list(stream)
        if language is None:
            return iter(tokens)
        with force_locale(language):
            translations = get_translations()
        return iter(_translate(tokens, translations.ugettext, language))


def _translate(tokens: list[Token], gettext, language: str) -> list[Token]:
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = [t.type for t in tokens[index + 1 : index + 4]]
        if token.test("name:current_language") and following[:2] == ["lparen", "rparen"]:
            out.append(Token(token.lineno, "string", language))
            index += 3
            continue
        if token.test("name:_") and following[:2] == ["lparen", "string"]:
            text = gettext(tokens[index + 2].value)
            replaced = _translated_call(token.lineno, text, following[2:])
            if replaced is not None:
                out.extend(replaced)
                index += 4 if following[2:] == ["rparen"] else 3
                continue
        out.append(token)
        index += 1
    return out


def _translated_call(lineno: int, text: str, after: list[str]) -> list[Token] | None:
    if after == ["rparen"]:  # _("text"): the translated text, as safe as gettext's
        try:
            constant = str(Markup(text) % {})  # noqa: S704 (our catalogue, as gettext)
        except (TypeError, ValueError, KeyError):
            return None  # left to fail at run time exactly as it would have
        return [
            Token(lineno, "lparen", "("),
            Token(lineno, "string", constant),
            Token(lineno, "pipe", "|"),
            Token(lineno, "name", "safe"),
            Token(lineno, "rparen", ")"),
        ]
    if after == ["comma"]:  # _("text %(x)s", x=...): formatted at run time
        return [
            Token(lineno, "name", FORMAT),
            Token(lineno, "lparen", "("),
            Token(lineno, "string", text),
        ]
    return None
