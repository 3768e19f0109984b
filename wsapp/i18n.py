"""The interface language: which one a request gets, the switcher's choices, the `lang` cookie.

A visitor's language comes from `?lang=` (shareable; it sets the cookie), else the `lang` cookie
(the last choice), else the browser's Accept-Language, else the workshop's default language.
Content (titles, names, abstracts) stays as its authors wrote it; only the interface and the
formats of dates, times and numbers follow the language.
"""

import functools
from dataclasses import dataclass

import flask_babel
from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations
from flask import Flask, Response, current_app, g, has_request_context, request
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

COOKIE = "lang"  # also in wsapp.caching.KEY_COOKIES: the page cache keys on it
MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Language:
    code: str  # what ?lang= and the cookie carry
    locale: str  # the Babel locale and the catalog folder (wsapp/translations/<locale>)
    name: str  # the language's name in itself, for the switcher

    @property
    def tag(self) -> str:
        """The BCP 47 tag for <html lang>: "zh-Hans"."""
        return self.locale.replace("_", "-")


LANGUAGES = [
    Language("en", "en", "English"),
    Language("fr", "fr", "Français"),
    Language("vi", "vi", "Tiếng Việt"),
    Language("zh", "zh_Hans", "简体中文"),
]
BY_CODE = {lang.code: lang for lang in LANGUAGES}
BY_LOCALE = {lang.locale: lang for lang in LANGUAGES}
DEFAULT = LANGUAGES[0]


def language(value: str | None) -> Language | None:
    """The shipped language a code or tag names: "fr", "fr-CA", "zh", "zh-Hans", "zh_CN"."""
    if not value or len(value) > 35:
        return None
    value = value.strip()
    if value.lower() in BY_CODE:
        return BY_CODE[value.lower()]
    try:
        parsed = Locale.parse(value.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    # by language alone: "zh-TW" gets Simplified Chinese, which reads better than English
    return BY_CODE.get(parsed.language)


def browser_language(accepted) -> Language | None:
    """The first shipped language in a parsed Accept-Language header (best first)."""
    for value, _quality in accepted:
        found = language(value) if value != "*" else None
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=1024)
def header_language(header: str | None) -> Language | None:
    """The shipped language an Accept-Language header asks for (browsers send a few values)."""
    return browser_language(parse_accept_header(header, LanguageAccept))


def _from_browser() -> Language | None:
    return browser_language(request.accept_languages)


def current() -> Language:
    """This request's language (outside a request: the default)."""
    if not has_request_context():  # CLI commands, and messages built outside a request
        return DEFAULT
    asked = request.args.get("lang")
    chosen = language(asked)
    if asked and chosen is None:
        g.lang_rejected = asked[:40]
    if chosen is not None:
        return chosen
    workshop = g.get("workshop")
    return unasked(
        request.cookies.get(COOKIE),
        _from_browser(),
        getattr(workshop, "default_locale", None),
        current_app.config["BABEL_DEFAULT_LOCALE"],
    )


def unasked(cookie: str | None, browser: Language | None, written: str | None, default: str):
    """The language of a request without `?lang=`: its cookie, the browser's (Accept-Language),
    the workshop's (`written`), then the site's `default` locale."""
    return language(cookie) or browser or language(written) or BY_LOCALE.get(default, DEFAULT)


def select_locale() -> str:
    """Flask-Babel's locale: `?lang=`, its cookie, Accept-Language, then the workshop's default."""
    return current().locale


def rejected_language() -> str | None:
    """The unknown `?lang=` this request asked for (the page says so and is not cached)."""
    return g.get("lang_rejected")


def _remember(response: Response) -> Response:
    """`?lang=` sets the cookie; every page depends on the language inputs (Vary)."""
    if request.endpoint in ("static", "media.file"):
        return response
    response.vary.update(("Cookie", "Accept-Language"))
    chosen = language(request.args.get("lang"))
    if chosen is not None and request.cookies.get(COOKIE) != chosen.code:
        response.set_cookie(
            COOKIE,
            chosen.code,
            max_age=MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def template_context() -> dict:
    chosen = BY_LOCALE.get(str(_locale()), DEFAULT)
    return {
        "languages": LANGUAGES,
        "language": chosen,
        "lang_rejected": rejected_language(),
        "content_lang": content_lang(chosen),
    }


def content_lang(chosen: Language) -> Markup:
    """` lang="en"` for what organizers wrote, when the interface is in another language.

    A workshop's texts are in its default language; marking them lets a screen reader switch
    voice for the talk titles and abstracts (WCAG 3.1.2, language of parts).
    """
    workshop = g.get("workshop")
    written = language(getattr(workshop, "default_locale", None)) if workshop else None
    if written is None or written == chosen:
        return Markup("")
    return Markup(' lang="{}"').format(written.tag)


def _locale():
    return flask_babel.get_locale()


def translations() -> NullTranslations:
    """The catalog of this request's language, looked up once per request.

    Flask-Babel looks it up again on every message (four context lookups and the locale's name
    each time: a tenth of a ballot fragment's cost). The catalog is kept beside Flask-Babel's
    own locale, so `force_locale` (mail in the recipient's language) and `refresh` still switch
    it; outside an app context there is nothing to keep it on.
    """
    try:
        ctx = g._flask_babel
        kept_locale, kept = ctx.wsapp_translations
        if kept_locale is ctx.babel_locale:
            return kept
    except (AttributeError, RuntimeError):
        pass
    found = flask_babel.get_translations()
    ctx = g.get("_flask_babel") if g else None
    if ctx is not None and getattr(ctx, "babel_locale", None) is not None:
        ctx.wsapp_translations = (ctx.babel_locale, found)
    return found


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext from the per-request catalog."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """flask_babel.ngettext from the per-request catalog (`%(num)d` is filled in)."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def register(app: Flask) -> None:
    app.after_request(_remember)
    app.context_processor(template_context)
    # templates' _(), ngettext() and friends: the same catalogs as Flask-Babel's, looked up once
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
