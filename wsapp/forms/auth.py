"""Logging in, passwords, the account's address and language, inviting an organizer."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Optional, ValidationError

from wsapp.forms.base import Form
from wsapp.forms.fields import strip
from wsapp.i18n import LANGUAGES
from wsapp.rules import is_email
from wsapp.services.accounts import MIN_PASSWORD

# each language by its own name (marked as such), as in the page's language switch
LANGUAGE_CHOICES = [
    SelectChoice(lang.locale, lang.name, render_kw={"lang": lang.tag}) for lang in LANGUAGES
]


class EmailAddress:
    def __call__(self, form, field):
        if not is_email(field.data or ""):
            raise ValidationError(_l("Give an e-mail address such as ada@example.org."))


class LoginForm(Form):
    email = EmailField(
        _l("E-mail"),
        [DataRequired(), Length(max=254), EmailAddress()],
        filters=[strip],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        [DataRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class SetPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        [
            DataRequired(),
            Length(
                min=MIN_PASSWORD,
                max=1000,
                message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The same password again"),
        [DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class InviteForm(Form):
    email = EmailField(
        _l("E-mail of the new organizer"),
        [DataRequired(), Length(max=254), EmailAddress()],
        filters=[strip],
    )
    # left out (a script posting only the address): the workshop's default language
    locale = SelectField(
        _l("Language of the invitation"),
        [Optional(), AnyOf([choice.value for choice in LANGUAGE_CHOICES])],
        choices=LANGUAGE_CHOICES,
        validate_choice=False,
    )


class ForgotPasswordForm(Form):
    email = EmailField(
        _l("E-mail"),
        [DataRequired(), Length(max=254), EmailAddress()],
        filters=[strip],
        render_kw={"autocomplete": "username"},
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(
        _l("Current password"),
        [DataRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangeEmailForm(Form):
    email = EmailField(
        _l("New e-mail address"),
        [DataRequired(), Length(max=254), EmailAddress()],
        filters=[strip],
        render_kw={"autocomplete": "email"},
    )
    current = PasswordField(
        _l("Current password"),
        [DataRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class LanguageForm(Form):
    locale = SelectField(_l("Language of the e-mail you get"), choices=LANGUAGE_CHOICES)
