"""The base of every edit form: CSRF, the version counter, and checks every field gets."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField

from wsapp.forms.messages import translations
from wsapp.forms.uploads import ImageUploadField
from wsapp.validation import MAX_INT, MIN_INT


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_nul(v) for k, v in value.items()}
    return value


class Form(FlaskForm):
    """Every form of the app: WTForms' own messages come from the app's catalogs, and every
    field gets the shared rules of wsapp.validation before its own validators run."""

    class Meta:
        def get_translations(self, form):
            return translations

    def validate(self, extra_validators=None) -> bool:
        # Input the database cannot hold is refused, and kept away from the checks validators
        # run against the database (PostgreSQL rejects a NUL or an integer beyond 32 bits in
        # any query, as an error instead of a refusal).
        refused = {}
        for field in self:
            if any("\x00" in str(v) for v in field.raw_data or []):
                field.data = _without_nul(field.data)
                refused[field] = _l("Remove the NUL character.")
            if isinstance(field, IntegerField) and isinstance(field.data, int):
                if not MIN_INT <= field.data <= MAX_INT:
                    field.data = None
                    refused[field] = _l(
                        "Give a whole number between %(low)d and %(high)d.",
                        low=MIN_INT,
                        high=MAX_INT,
                    )
        valid = super().validate(extra_validators)
        for field, message in refused.items():
            field.errors = [*field.errors, message]
        return valid and not refused


class CsrfForm(Form):
    """A form with only the CSRF token, for POST buttons (delete, move, restore, log out)."""


class EditForm(Form):
    """An edit form; `version` carries the record's version counter for optimistic locking."""

    version = HiddenField()

    def field_names(self) -> list[str]:
        """The fields a person fills in, in order (not the CSRF token or the version)."""
        return [f.name for f in self if f.name not in {"csrf_token", "version"}]

    def image_fields(self) -> list[ImageUploadField]:
        return [f for f in self if isinstance(f, ImageUploadField)]

    def image_owner(self, obj):
        """The record whose `photo` or `logo` the image fields set (the default: the record)."""
        return obj

    def show_current(self, obj) -> None:
        """Let the image fields show the images the record has now (obj None: a new record)."""
        owner = self.image_owner(obj) if obj is not None else None
        for field in self.image_fields():
            field.current = getattr(owner, field.name, None) if owner is not None else None

    def note_unsaved_uploads(self) -> None:
        """Say so beside a valid upload that was not saved (other fields refused, a conflict):
        a browser never fills a file input again, so the person must choose the file again."""
        for field in self.image_fields():
            if field.has_file() and not field.errors:
                field.errors = [*field.errors, _l("This file was not saved: choose it again.")]

    def fill(self, obj, workshop) -> None:
        """Show the record's values (the default copies same-named attributes)."""
        images = {f.name for f in self.image_fields()}
        for name in self.field_names():
            if name not in images and hasattr(obj, name):
                self[name].data = getattr(obj, name)

    def values(self, workshop) -> dict | None:
        """The validated values to store (not the images), or None after adding field errors."""
        images = {f.name for f in self.image_fields()}
        return {name: self[name].data for name in self.field_names() if name not in images}

    def save(self, obj, workshop) -> bool:
        """Write the values to the record; False (and nothing changed) if they are invalid."""
        values = self.values(workshop)
        if values is None:
            return False
        for name, value in values.items():
            setattr(obj, name, value)
        self.save_images(self.image_owner(obj))
        return True

    def save_images(self, owner) -> None:
        """Store new uploads on `owner` and clear the images whose "Remove" box is ticked."""
        for field in self.image_fields():
            field.populate_obj(owner, field.name)
