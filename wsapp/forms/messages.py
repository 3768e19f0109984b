"""WTForms' and Flask-WTF's own messages, translated through the app's catalogs.

WTForms ships no Vietnamese catalog, so instead of its catalogs every form uses the app's
(`Form.Meta.get_translations`); the messages our forms can show are marked here with `N_` so
`make translations` extracts them. A message not in the catalog stays in English.
"""

from flask import has_request_context

from wsapp.i18n import translations as catalog


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    return singular, plural


MESSAGES = [
    N_("This field is required."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Field must be equal to %(other_name)s."),
    # Flask-WTF's CSRF refusals (wsapp.hooks shows them on the error page)
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."),
    N_("The CSRF tokens do not match."),
    N_("The referrer header is missing."),
    N_("The referrer does not match the host."),
    N_("CSRF validation failed."),
]
PLURALS = [
    N_plural(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    N_plural(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    N_plural(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
]


class Translations:
    """What WTForms asks for (gettext, ngettext), answered from the app's catalogs.

    WTForms fills in the placeholders itself, so the strings come back unformatted.
    """

    def gettext(self, string: str) -> str:
        return catalog().ugettext(string) if has_request_context() else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not has_request_context():
            return singular if n == 1 else plural
        return catalog().ungettext(singular, plural, n)


translations = Translations()
