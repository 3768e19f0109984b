"""Images in the content format: the top-level `images:` list that `photo:` and `logo:` refer to.

An entry describes a stored upload by its rendition file names (the files themselves live in
WSAPP_MEDIA_DIR and are copied with it). Loading matches an existing record by kind and file
names, so loading the same file twice creates nothing new.
"""

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from wsapp.extensions import db
from wsapp.models import Image, ImageKind
from wsapp.services.images.storage import NAME

SHA256 = re.compile(r"[0-9a-f]{64}")
INT_FIELDS = ("width", "height", "bytes_1x", "bytes_2x")


class ImageRefError(ValueError):
    """An `images:` entry or a reference to one is wrong; the message says where."""


def image_key(image: Image | None) -> str | None:
    """The key a dump gives an image: its kind and the start of the upload's sha256."""
    if image is None:
        return None
    return f"{image.kind.value}-{image.original_sha256[:16]}"


def check_images(rows: Any) -> dict[str, Image]:
    """The `images:` list checked, as records by key that are never stored (no query runs)."""
    if not isinstance(rows, list):
        raise ImageRefError("'images' must be a list")
    images: dict[str, Image] = {}
    for i, row in enumerate(rows):
        where = f"images[{i}]"
        values = _checked(row, where)
        if row["key"] in images:
            raise ImageRefError(f"{where}: key {row['key']!r} is used twice")
        images[row["key"]] = Image(**values)
    return images


def load_images(rows: Any) -> dict[str, Image]:
    """The records for the `images:` list, by key; creates those not stored yet."""
    check_images(rows)
    images: dict[str, Image] = {}
    for row in rows:
        values = _checked(row, "")
        image = db.session.scalar(
            select(Image)
            .where(
                Image.kind == values["kind"],
                Image.file_1x == values["file_1x"],
                Image.file_2x == values["file_2x"],
            )
            .order_by(Image.id)
            .limit(1)
        )
        if image is None:
            image = Image(**values)
            db.session.add(image)
        images[row["key"]] = image
    db.session.flush()
    return images


def _checked(row: Any, where: str) -> dict:
    if not isinstance(row, dict) or not isinstance(row.get("key"), str) or not row["key"]:
        raise ImageRefError(f"{where}: each image needs a 'key'")
    try:
        kind = ImageKind(row.get("kind"))
    except ValueError:
        raise ImageRefError(f"{where}: kind is photo or logo") from None
    for field in ("file_1x", "file_2x"):
        if not isinstance(row.get(field), str) or not NAME.fullmatch(row[field]):
            raise ImageRefError(f"{where}: {field} must be 64 hex digits + .webp")
    if not isinstance(row.get("original_sha256"), str) or not SHA256.fullmatch(
        row["original_sha256"]
    ):
        raise ImageRefError(f"{where}: original_sha256 must be 64 lowercase hex digits")
    for field in INT_FIELDS:
        value = row.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ImageRefError(f"{where}: {field} must be a positive whole number")
    return {
        "kind": kind,
        "original_sha256": row["original_sha256"],
        "file_1x": row["file_1x"],
        "file_2x": row["file_2x"],
        **{field: row[field] for field in INT_FIELDS},
    }


def image_ref(images: dict[str, Image], key: Any, kind: ImageKind, where: str) -> Image | None:
    """The image a `photo:` or `logo:` value names (None stays None)."""
    if key is None:
        return None
    if key not in images:
        raise ImageRefError(f"{where}: unknown image key {key!r} (list it under 'images')")
    image = images[key]
    if image.kind != kind:
        raise ImageRefError(f"{where}: image {key!r} is a {image.kind.value}, not a {kind.value}")
    return image


def dump_images(images: Iterable[Image | None]) -> list[dict]:
    """The `images:` list for the records given (duplicates and None are skipped), by key."""
    seen: dict[str, Image] = {}
    for image in sorted((i for i in images if i is not None), key=lambda i: i.id):
        seen.setdefault(image_key(image), image)
    return [
        {
            "key": key,
            "kind": image.kind.value,
            "original_sha256": image.original_sha256,
            "width": image.width,
            "height": image.height,
            "file_1x": image.file_1x,
            "bytes_1x": image.bytes_1x,
            "file_2x": image.file_2x,
            "bytes_2x": image.bytes_2x,
        }
        for key, image in sorted(seen.items())
    ]
