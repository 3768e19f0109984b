"""Why an upload is refused: one exception with a translatable message for the form field."""

from flask_babel import lazy_gettext as _l

ACCEPTED = ("JPEG", "PNG", "WEBP")

# Formats people try to upload, named in the refusal. Detected by their first bytes only: the
# parsers of formats we refuse are never run on untrusted input.
_KNOWN_REFUSED = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"\x00\x00\x01\x00", "ICO"),
)
_HEIF_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"mif1": "HEIF", b"avif": "AVIF"}


class ImageError(ValueError):
    """The upload is not an image we accept; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def megabytes(size: int) -> str:
    """A byte limit for people: "10 MB", "512 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB"


def too_large(limit: int) -> ImageError:
    return ImageError(
        _l("The file is larger than %(limit)s: upload a smaller image.", limit=megabytes(limit))
    )


def empty() -> ImageError:
    return ImageError(_l("The file is empty."))


def refused_format(data: bytes) -> ImageError:
    name = sniff_refused(data)
    if name:
        return ImageError(
            _l("%(format)s files are not accepted: upload a JPEG, PNG or WebP image.", format=name)
        )
    return ImageError(_l("This file is not a JPEG, PNG or WebP image."))


def too_many_pixels(limit: int, size: tuple[int, int] | None = None) -> ImageError:
    megapixels = f"{limit / 1_000_000:.3g}"
    if size:
        return ImageError(
            _l(
                "The image is %(width)s × %(height)s pixels; at most %(limit)s megapixels are"
                " accepted.",
                width=size[0],
                height=size[1],
                limit=megapixels,
            )
        )
    return ImageError(_l("The image has more than %(limit)s megapixels.", limit=megapixels))


def too_costly(fmt: str, size: tuple[int, int], budget: int) -> ImageError:
    return ImageError(
        _l(
            "This %(format)s image (%(width)s × %(height)s pixels) needs more than %(limit)s of"
            " memory to read: upload it as a JPEG, or make it smaller.",
            format=fmt,
            width=size[0],
            height=size[1],
            limit=megabytes(budget),
        )
    )


def busy() -> ImageError:
    return ImageError(_l("The server is busy with other images: send the form again in a minute."))


def damaged() -> ImageError:
    return ImageError(_l("The file is damaged or incomplete: it cannot be read as an image."))


def animated() -> ImageError:
    return ImageError(_l("Animated images are not accepted: upload a still JPEG, PNG or WebP."))


def sniff_refused(data: bytes) -> str | None:
    """The name of a well-known format we refuse, from the file's first bytes, or None."""
    for magic, name in _KNOWN_REFUSED:
        if data.startswith(magic):
            return name
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return _HEIF_BRANDS[data[8:12]]
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in data[:4096].lower():
        return "SVG"
    return None
