"""The image upload field of the organizer forms.

`ImageUploadField(label, kind=ImageKind.PHOTO | ImageKind.LOGO)` is a file input for a person's
photo or a sponsor's or institution's logo, with a "Remove" checkbox beside the current image.
Name it like the model's relationship (`photo`, `logo`) and:

    class PersonForm(FlaskForm):
        photo = ImageUploadField(_l("Photo"), kind=ImageKind.PHOTO,
                                 remove_label=_l("Remove the photo"))

    if form.validate_on_submit():     # refusals (type, size, damage, bombs) are field errors
        form.populate_obj(person)      # a new upload is stored and set as person.photo
        db.session.commit()

Validation reads and processes the upload once; `populate_obj` (or `form.photo.store()`, which
returns the `Image` or None) writes the files and adds the record to the session. Choosing no
file leaves the current image as it is; ticking the checkbox (sent as `<name>-remove`) clears
it. `field.current` is the image the record has now, for the page to show (set it before
rendering). The template's <form> needs `enctype="multipart/form-data"`; the input carries
`accept` for the three formats.
"""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from wsapp.models.media import Image, ImageKind
from wsapp.services import images
from wsapp.services.images.errors import megabytes

ACCEPT = "image/jpeg,image/png,image/webp"
_FALSE_VALUES = ("", "false")  # as WTForms' BooleanField reads a checkbox


def _hint(kind: ImageKind) -> str:
    """What the field accepts, with the configured size limit."""
    limit = megabytes(current_app.config["MAX_IMAGE_BYTES"])
    if kind is ImageKind.PHOTO:
        return _(
            "A JPEG, PNG or WebP image of at most %(limit)s; it is cropped to a centred square.",
            limit=limit,
        )
    return _(
        "A JPEG, PNG or WebP image (not SVG) of at most %(limit)s; a transparent "
        "background stays transparent.",
        limit=limit,
    )


class ImageUploadField(FileField):
    """An image upload validated by its content; `data` is the FileStorage or None."""

    def __init__(
        self, label=None, validators=None, *, kind: ImageKind, remove_label=None, **kwargs
    ):
        render_kw = {"accept": ACCEPT, **(kwargs.pop("render_kw", None) or {})}
        kind = ImageKind(kind)
        kwargs.setdefault("description", LazyString(_hint, kind))
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.kind = kind
        self.remove_label = remove_label or _l("Remove the image")
        self.processed: images.Processed | None = None
        self.remove = False
        self.current: Image | None = None

    @property
    def remove_name(self) -> str:
        return f"{self.name}-remove"

    @property
    def remove_id(self) -> str:
        return f"{self.id}-remove"

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        values = formdata.getlist(self.remove_name) if formdata is not None else []
        self.remove = any(isinstance(v, str) and v.lower() not in _FALSE_VALUES for v in values)

    def process_data(self, value) -> None:
        # `obj.photo` (an Image) is what the record has, not an upload: never treat it as one
        self.data = value if isinstance(value, FileStorage) else None

    def has_file(self) -> bool:
        return isinstance(self.data, FileStorage) and bool(self.data)

    def post_validate(self, form, validation_stopped: bool) -> None:
        self.processed = None
        if validation_stopped or not self.has_file():
            return
        if self.remove:
            raise ValidationError(
                _l("Choose a new file or tick “%(remove)s”, not both.", remove=self.remove_label)
            )
        try:
            self.processed = images.process(images.read_upload(self.data), self.kind)
        except images.ImageError as exc:
            raise ValidationError(str(exc)) from None

    def store(self) -> Image | None:
        """Store the validated upload (files and record, no commit); None if no file was sent."""
        if self.processed is None:
            return None
        return images.store(self.processed)

    def populate_obj(self, obj, name: str) -> None:
        """Set the stored upload on the record, or clear its image if "Remove" was ticked."""
        image = self.store()
        if image is not None:
            setattr(obj, name, image)
        elif self.remove:
            setattr(obj, name, None)
