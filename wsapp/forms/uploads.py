"""The image upload field of the organizer forms.

`ImageUploadField(label, kind=ImageKind.PHOTO | ImageKind.LOGO)` is a file input for a person's
photo or a sponsor's or institution's logo. Name it like the model's relationship (`photo`,
`logo`) and:

    class PersonForm(FlaskForm):
        photo = ImageUploadField(_l("Photo"), kind=ImageKind.PHOTO)

    if form.validate_on_submit():     # refusals (type, size, damage, bombs) are field errors
        form.populate_obj(person)      # a new upload is stored and set as person.photo
        db.session.commit()

Validation reads and processes the upload once; `populate_obj` (or `form.photo.store()`, which
returns the `Image` or None) writes the files and adds the record to the session. Choosing no
file leaves the current image as it is. The template's <form> needs
`enctype="multipart/form-data"`; the input carries `accept` for the three formats.
"""

from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import ValidationError

from wsapp.models.media import Image, ImageKind
from wsapp.services import images

ACCEPT = "image/jpeg,image/png,image/webp"


class ImageUploadField(FileField):
    """An image upload validated by its content; `data` is the FileStorage or None."""

    def __init__(self, label=None, validators=None, *, kind: ImageKind, **kwargs):
        render_kw = {"accept": ACCEPT, **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.kind = ImageKind(kind)
        self.processed: images.Processed | None = None

    def process_data(self, value) -> None:
        # `obj.photo` (an Image) is what the record has, not an upload: never treat it as one
        self.data = value if isinstance(value, FileStorage) else None

    def has_file(self) -> bool:
        return isinstance(self.data, FileStorage) and bool(self.data)

    def post_validate(self, form, validation_stopped: bool) -> None:
        self.processed = None
        if validation_stopped or not self.has_file():
            return
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
        image = self.store()
        if image is not None:
            setattr(obj, name, image)
