"""Uploaded files: photos and logos as stored renditions, and hosted PDFs."""

import datetime as dt
import enum

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wsapp.extensions import db
from wsapp.models.types import UTCDateTime, str_enum
from wsapp.timezones.clock import now


class ImageKind(enum.StrEnum):
    PHOTO = "photo"  # cropped to a centred square
    LOGO = "logo"  # keeps its aspect ratio, fitted into a box


class Image(db.Model):
    """One processed upload: two WebP files (1x and 2x) named by the sha256 of their bytes.

    The record never changes after it is created; a new upload makes a new record. `width` and
    `height` are the display size in CSS pixels (the 1x file); the 2x file is twice as large.
    """

    __tablename__ = "image"
    # Never changes once stored; pages change when a record starts or stops showing it.
    __affects_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImageKind] = mapped_column(str_enum(ImageKind))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    file_1x: Mapped[str] = mapped_column(String(80))
    file_2x: Mapped[str] = mapped_column(String(80))
    bytes_1x: Mapped[int] = mapped_column(Integer)
    bytes_2x: Mapped[int] = mapped_column(Integer)
    original_sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    def __repr__(self) -> str:
        return f"<Image {self.kind} {self.width}x{self.height} {self.file_1x}>"


class Document(db.Model):
    """A hosted PDF (a paper, its poster or its slides), stored once under the sha256 of its
    bytes as `<sha256>.pdf` in the media folder.

    Like an image, the record never changes and is never deleted: the change log and restores
    refer to it by id, backups and the frozen copy carry its file.
    """

    __tablename__ = "document"
    # Never changes once stored; pages change when a paper starts or stops showing it.
    __affects_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    bytes: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)

    def __repr__(self) -> str:
        return f"<Document {self.sha256[:12]} {self.pages} pages>"

    @property
    def file(self) -> str:
        """Its file's name in the media folder."""
        return f"{self.sha256}.pdf"
