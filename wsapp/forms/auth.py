"""Logging in, setting a password from an invitation, inviting an organizer."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from wsapp.forms.base import Form
from wsapp.forms.fields import strip
from wsapp.services.accounts import MIN_PASSWORD
from wsapp.validation import is_email


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
