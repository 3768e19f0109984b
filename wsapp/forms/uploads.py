"""The upload fields of the organizer forms: images (photos, logos) and hosted PDFs.

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

`PdfUploadField(_l("Paper (PDF)"), remove_label=...)` works the same way for a paper's PDF
(`pdf`, `poster_pdf`, `slides_pdf` on a paper): validation parses the upload with pypdf
(services/documents) and a refusal (not a PDF, encrypted, scripts, too large) is a field error.
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
from wsapp.services import documents, images
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


class UploadField(FileField):
    """A file upload validated by its content, with a "Remove" checkbox beside the current file;
    `data` is the FileStorage or None. Subclasses say how a file is checked and stored."""

    def __init__(self, label=None, validators=None, *, remove_label=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.remove_label = remove_label or _l("Remove the file")
        self.processed = None
        self.remove = False
        self.current = None

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
        self.processed = self.check(self.data)

    def check(self, upload: FileStorage):
        """The checked upload, ready to store; ValidationError says why it is refused."""
        raise NotImplementedError

    def store(self):
        """Store the validated upload (file and record, no commit); None if no file was sent."""
        raise NotImplementedError

    def populate_obj(self, obj, name: str) -> None:
        """Set the stored upload on the record, or clear it if "Remove" was ticked."""
        stored = self.store()
        if stored is not None:
            setattr(obj, name, stored)
        elif self.remove:
            setattr(obj, name, None)


class ImageUploadField(UploadField):
    """An image upload validated by its content."""

    def __init__(
        self, label=None, validators=None, *, kind: ImageKind, remove_label=None, **kwargs
    ):
        render_kw = {"accept": ACCEPT, **(kwargs.pop("render_kw", None) or {})}
        kind = ImageKind(kind)
        kwargs.setdefault("description", LazyString(_hint, kind))
        super().__init__(
            label,
            validators,
            render_kw=render_kw,
            remove_label=remove_label or _l("Remove the image"),
            **kwargs,
        )
        self.kind = kind
        self.current: Image | None = None

    def check(self, upload: FileStorage) -> images.Processed:
        try:
            return images.process(images.read_upload(upload), self.kind)
        except images.ImageError as exc:
            raise ValidationError(str(exc)) from None

    def store(self) -> Image | None:
        if self.processed is None:
            return None
        return images.store(self.processed)


def _pdf_hint() -> str:
    limit = documents.megabytes(current_app.config["MAX_PDF_BYTES"])
    return _("A PDF of at most %(limit)s, without scripts or password protection.", limit=limit)


class PdfUploadField(UploadField):
    """A PDF upload, parsed and checked before anything is stored (services/documents)."""

    def __init__(self, label=None, validators=None, *, remove_label=None, **kwargs):
        render_kw = {"accept": "application/pdf,.pdf", **(kwargs.pop("render_kw", None) or {})}
        kwargs.setdefault("description", LazyString(_pdf_hint))
        super().__init__(
            label,
            validators,
            render_kw=render_kw,
            remove_label=remove_label or _l("Remove the PDF"),
            **kwargs,
        )

    def check(self, upload: FileStorage) -> documents.CheckedPdf:
        try:
            return documents.check(documents.read_upload(upload))
        except documents.PdfError as exc:
            raise ValidationError(str(exc)) from None

    def store(self) -> documents.Document | None:
        if self.processed is None:
            return None
        return documents.store(self.processed)
