"""Files in the media folder (WSAPP_MEDIA_DIR), named by the sha256 of their bytes: image
renditions (`<sha256>.webp`) and hosted PDFs (`<sha256>.pdf`, services/documents)."""

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import current_app

NAME = re.compile(r"[0-9a-f]{64}\.webp")
PDF_NAME = re.compile(r"[0-9a-f]{64}\.pdf")


def media_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"])


def path_for(name: str, pattern: re.Pattern = NAME) -> Path | None:
    """The file for a rendition name (or a PDF's, with PDF_NAME), or None if the name is not
    one we could have made."""
    if not isinstance(name, str) or not pattern.fullmatch(name):
        return None
    return media_dir() / name


def exists(name: str, pattern: re.Pattern = NAME) -> bool:
    path = path_for(name, pattern)
    return path is not None and path.is_file()


def save(data: bytes, suffix: str = ".webp") -> str:
    """Write `data` under its content hash and return the name; an existing file is never touched.

    The bytes go to a temporary file first and are linked into place, so a reader never sees a
    half-written rendition and two writers of the same bytes cannot clash.
    """
    name = hashlib.sha256(data).hexdigest() + suffix
    folder = media_dir()
    target = folder / name
    if target.is_file():
        return name
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, target)
        except FileExistsError:
            pass  # written meanwhile by another request: same name, same bytes
        except OSError:
            os.replace(tmp, target)  # a file system without hard links
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return name
