"""The base of every edit form: CSRF, the version counter, and checks every field gets.

Forms validate; services save (services/editing.py). An edit form for a record kind names its
model (`model = Sponsor` in the class): wsapp.forms.form_for finds it.
"""

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField

from wsapp.forms.messages import translations
from wsapp.forms.uploads import UploadField
from wsapp.rules import MAX_INT, MIN_INT
from wsapp.services.editing import Edit, Invalid, Upload

FORMS: dict[type, type] = {}  # model -> its edit form, filled as the form classes are made


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
    """An edit form; `version` carries the record's version counter for optimistic locking.

    `record` is the record being edited (new or not) and `workshop` the workshop it belongs to.
    """

    version = HiddenField()
    model: ClassVar[type | None] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if vars(cls).get("model") is not None:
            FORMS[cls.model] = cls

    def __init__(self, *args, record=None, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record, self.workshop = record, workshop

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

    def extra_kwargs(self) -> dict:
        """What this form was made with beyond record and workshop (to make its twin)."""
        return {}

    def field_names(self) -> list[str]:
        """The fields a person fills in, in order (not the CSRF token or the version)."""
        return [f.name for f in self if f.name not in {"csrf_token", "version"}]

    def upload_fields(self) -> list[UploadField]:
        """The image and PDF upload fields (stored by the service, not set as values)."""
        return [f for f in self if isinstance(f, UploadField)]

    def image_owner(self, obj):
        """The record whose `photo` or `logo` (or PDFs) the upload fields set (default: itself)."""
        return obj

    def show_current(self, obj) -> None:
        """Let the upload fields show the files the record has now (obj None: a new record)."""
        owner = self.image_owner(obj) if obj is not None else None
        for field in self.upload_fields():
            field.current = getattr(owner, field.name, None) if owner is not None else None

    def note_unsaved_uploads(self) -> None:
        """Say so beside a valid upload that was not saved (other fields refused, a conflict):
        a browser never fills a file input again, so the person must choose the file again."""
        for field in self.upload_fields():
            if field.has_file() and not field.errors:
                field.errors = [*field.errors, _l("This file was not saved: choose it again.")]

    def fill(self, obj, workshop) -> None:
        """Show the record's values (the default copies same-named attributes)."""
        images = {f.name for f in self.upload_fields()}
        for name in self.field_names():
            if name not in images and hasattr(obj, name):
                self[name].data = getattr(obj, name)

    def values(self, workshop) -> dict | None:
        """The validated values to store (not the images), or None after adding field errors."""
        images = {f.name for f in self.upload_fields()}
        return {name: self[name].data for name in self.field_names() if name not in images}

    def uploads(self) -> dict[str, Upload]:
        """Each upload field's validated upload, or its "Remove" box, by attribute name."""
        return {
            f.name: Upload(processed=f.processed, remove=f.remove)
            for f in self.upload_fields()
            if f.processed is not None or f.remove
        }

    def edit(self, workshop) -> Edit | None:
        """What to save (values, uploads, the version shown), or None after marking errors."""
        values = self.values(workshop)
        if values is None:
            return None
        return Edit(values, self.uploads(), self.version.data or None)

    def refuse(self, refusal: Invalid) -> None:
        """Show a refusal from the service beside its fields (or above the form)."""
        for name, messages in refusal.errors.items():
            target = self[name] if name in self else None
            if target is None:
                self.form_errors.extend(messages)
            else:
                target.errors = [*target.errors, *messages]
        if refusal.message:
            self.form_errors.append(refusal.message)
        for name, value in refusal.shown.items():
            self[name].data = value
