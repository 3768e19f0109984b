"""The base of every edit form: CSRF, the version counter, and checks every field gets."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from wsapp.forms.messages import translations


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_nul(v) for k, v in value.items()}
    return value


class Form(FlaskForm):
    """Every form of the app: WTForms' own messages come from the app's catalogs."""

    class Meta:
        def get_translations(self, form):
            return translations


class CsrfForm(Form):
    """A form with only the CSRF token, for POST buttons (delete, move, restore, log out)."""


class EditForm(Form):
    """An edit form; `version` carries the record's version counter for optimistic locking."""

    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        # A NUL character is refused, and kept out of the database checks validators run
        # (PostgreSQL rejects it in any query).
        with_nul = [f for f in self if any("\x00" in str(v) for v in f.raw_data or [])]
        for field in with_nul:
            field.data = _without_nul(field.data)
        valid = super().validate(extra_validators)
        for field in with_nul:
            field.errors = list(field.errors) + [_l("Remove the NUL character.")]
        return valid and not with_nul

    def field_names(self) -> list[str]:
        """The fields a person fills in, in order (not the CSRF token or the version)."""
        return [f.name for f in self if f.name not in {"csrf_token", "version"}]

    def fill(self, obj, workshop) -> None:
        """Show the record's values (the default copies same-named attributes)."""
        for name in self.field_names():
            if hasattr(obj, name):
                self[name].data = getattr(obj, name)

    def values(self, workshop) -> dict | None:
        """The validated values to store, or None after adding field errors."""
        return {name: self[name].data for name in self.field_names()}

    def save(self, obj, workshop) -> bool:
        """Write the values to the record; False (and nothing changed) if they are invalid."""
        values = self.values(workshop)
        if values is None:
            return False
        for name, value in values.items():
            setattr(obj, name, value)
        return True
