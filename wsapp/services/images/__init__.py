"""Uploaded photos and logos: validated, cleaned and stored as WebP renditions.

The API the organizer area uses:

- In a form, `wsapp.forms.uploads.ImageUploadField(_l("Photo"), kind=ImageKind.PHOTO)` (or
  `ImageKind.LOGO`), named like the model's relationship (`photo` on a person, `logo` on a sponsor
  or institution). Validating the form processes the upload (refusals become field errors);
  `form.populate_obj(obj)` then stores it and sets `obj.photo` / `obj.logo`, and leaves the old
  image in place when no file was chosen. Without populate_obj: `image = form.photo.store()`
  (an `Image`, or None when no file was chosen). The form needs `enctype="multipart/form-data"`.
- Outside forms, `store_upload(file_storage, kind) -> Image`: reads, checks, processes, writes
  the two files and adds the record to the session (no commit); raises `ImageError`, whose
  `message` (lazily translated) says what was wrong, before anything is written.
- `store(processed) -> Image` stores what `process(data, kind)` returned.

Files are named by the sha256 of their bytes in `WSAPP_MEDIA_DIR`, written once and never
overwritten, and served by the `media.file` endpoint. Uploading the same file again returns the
existing record. Uploads larger than `WSAPP_MAX_IMAGE_BYTES` (default 10 MiB) are refused.
"""

import hashlib

from flask import Flask, current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from wsapp.extensions import db
from wsapp.models.media import Image, ImageKind
from wsapp.services.images import errors, storage
from wsapp.services.images.errors import ImageError
from wsapp.services.images.memory import limit_at_once
from wsapp.services.images.pipeline import Processed, Rendition, process

__all__ = [
    "Image",
    "ImageError",
    "ImageKind",
    "Processed",
    "Rendition",
    "process",
    "read_upload",
    "store",
    "store_upload",
]


def init_app(app: Flask) -> None:
    """The process-wide limit on uploads decoded at once (WSAPP_IMAGES_AT_ONCE)."""
    limit_at_once(app.config["IMAGES_AT_ONCE"])


def read_upload(file_storage: FileStorage, max_bytes: int | None = None) -> bytes:
    """The uploaded bytes, or ImageError if there are none or more than the configured limit."""
    if max_bytes is None:
        max_bytes = current_app.config["MAX_IMAGE_BYTES"]
    stream = file_storage.stream
    if stream.seekable():
        stream.seek(0)
    data = stream.read(max_bytes + 1)  # the client's Content-Length is not to be trusted
    if len(data) > max_bytes:
        raise errors.too_large(max_bytes)
    if not data:
        raise errors.empty()
    return data


def store_upload(file_storage: FileStorage, kind: ImageKind) -> Image:
    """Process an upload and store its renditions; the same file twice gives the same record."""
    data = read_upload(file_storage)
    known = _existing(kind, hashlib.sha256(data).hexdigest())
    if known is not None:
        return known
    return store(process(data, kind))


def store(processed: Processed) -> Image:
    """Write the renditions (unless already there) and add their record to the session."""
    image = db.session.scalar(
        select(Image)
        .where(
            Image.kind == processed.kind,
            Image.file_1x == processed.x1.name,
            Image.file_2x == processed.x2.name,
        )
        .order_by(Image.id)
        .limit(1)
    )
    file_1x, file_2x = storage.save(processed.x1.data), storage.save(processed.x2.data)
    if image is not None:
        return image
    image = Image(
        kind=processed.kind,
        width=processed.x1.width,
        height=processed.x1.height,
        file_1x=file_1x,
        file_2x=file_2x,
        bytes_1x=len(processed.x1.data),
        bytes_2x=len(processed.x2.data),
        original_sha256=processed.original_sha256,
    )
    db.session.add(image)
    return image


def _existing(kind: ImageKind, original_sha256: str) -> Image | None:
    """An earlier record of the same upload whose files are still on disk."""
    candidates = db.session.scalars(
        select(Image)
        .where(Image.kind == kind, Image.original_sha256 == original_sha256)
        .order_by(Image.id)
    ).all()
    for image in candidates:
        if storage.exists(image.file_1x) and storage.exists(image.file_2x):
            return image
    return None
