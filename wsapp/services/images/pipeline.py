"""Turn uploaded bytes into clean WebP renditions: pure functions, no database, no files.

Steps: recognise JPEG, PNG or WebP by content; refuse decompression bombs, animations and damaged
files; decode (JPEGs at a reduced scale, which keeps a 6000x6000 photo small in memory); apply the
EXIF orientation; convert to sRGB; crop photos to a centred square or fit logos into their box;
encode fresh pixel data as WebP, so no EXIF, GPS, XMP or ICC data survives.

Memory is bounded (figures in docs/benchmarks.md, bench/images.py): a baseline JPEG is decoded
at 1/2 to 1/8 scale, so a 48 MP photo takes a few MB; a palette PNG is widened band by band,
never whole; what cannot be decoded smaller is refused over a budget, and uploads are decoded
one at a time per process (wsapp.services.images.memory).
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from wsapp.models.media import ImageKind
from wsapp.services.images import errors, memory
from wsapp.services.images.errors import ACCEPTED

# Pillow's own bomb check (warning above, error above twice this) guards every Image.open in the
# process; uploads are refused above it. 50 megapixels admits a 48 MP phone photo.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

PHOTO_SIZE = 160  # CSS pixels, square
LOGO_HEIGHT = 48  # CSS pixels; the width follows the aspect ratio ...
LOGO_MAX_WIDTH = 240  # ... up to this, then the height shrinks instead
PHOTO_QUALITIES = (80, 70, 60, 50, 40, 25, 10, 0)  # tried in turn until the file fits the budget
PHOTO_BUDGET = 36 * 1024  # a 2x photo must stay under 40 KB (issue 3); this leaves headroom
LOGO_QUALITY = 90
# Pillow's parsers fail on hostile input with many exception types (OSError, SyntaxError,
# struct.error, ZeroDivisionError ...): whichever it is, the file cannot be read.
_DECODE_ERRORS = (Exception,)
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int

    @property
    def name(self) -> str:
        """The file name: the sha256 of the bytes, so equal renditions share one file."""
        return hashlib.sha256(self.data).hexdigest() + ".webp"


@dataclass(frozen=True)
class Processed:
    kind: ImageKind
    original_sha256: str
    x1: Rendition
    x2: Rendition


def process(data: bytes, kind: ImageKind) -> Processed:
    """Validate and render an upload; raises ImageError with a message for the person uploading."""
    kind = ImageKind(kind)
    if not data:
        raise errors.empty()
    memory.check_webp_header(data)  # before Image.open: libwebp allocates its canvas then
    with memory.turn():
        big = decode(open_image(data), kind)
    width, height = display_size(kind, big.size)
    if kind is ImageKind.PHOTO:
        big = _centre_square(big)
    x2_pixels = _fresh(big.resize((2 * width, 2 * height), Image.Resampling.LANCZOS, None, 3.0))
    x1_pixels = _fresh(x2_pixels.resize((width, height), Image.Resampling.LANCZOS))
    return Processed(
        kind=kind,
        original_sha256=hashlib.sha256(data).hexdigest(),
        x1=Rendition(_encode(x1_pixels, kind), width, height),
        x2=Rendition(_encode(x2_pixels, kind), 2 * width, 2 * height),
    )


def open_image(data: bytes) -> Image.Image:
    """Open (headers only) a JPEG, PNG or WebP still image, or raise ImageError."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # the warning arrives as an exception when warnings are errors (as under pytest)
        raise errors.too_many_pixels(MAX_PIXELS) from None
    except UnidentifiedImageError:
        raise errors.refused_format(data) from None
    except _DECODE_ERRORS:
        raise errors.damaged() from None
    width, height = image.size
    if width < 1 or height < 1:
        raise errors.damaged()
    if width * height > MAX_PIXELS:
        raise errors.too_many_pixels(MAX_PIXELS, image.size)
    # MPO (a JPEG with extra pictures: depth maps, previews) is a still photo: keep the first
    if image.format in ("PNG", "WEBP") and getattr(image, "is_animated", False):
        raise errors.animated()
    memory.check_cost(image, 2 * LOGO_MAX_WIDTH)
    return image


def display_size(kind: ImageKind, size: tuple[int, int]) -> tuple[int, int]:
    """The 1x size in CSS pixels for an upload of `size` (already oriented)."""
    if kind is ImageKind.PHOTO:
        return PHOTO_SIZE, PHOTO_SIZE
    width, height = size
    scaled = max(1, round(width * LOGO_HEIGHT / height))
    if scaled <= LOGO_MAX_WIDTH:
        return scaled, LOGO_HEIGHT
    return LOGO_MAX_WIDTH, max(1, round(height * LOGO_MAX_WIDTH / width))


def decode(image: Image.Image, kind: ImageKind) -> Image.Image:
    """The pixels, upright and in sRGB, at least as large as the 2x rendition needs."""
    # both sides are kept at least this long, enough for the 2x rendition in any orientation
    side = 2 * (PHOTO_SIZE if kind is ImageKind.PHOTO else LOGO_MAX_WIDTH)
    if image.format in ("JPEG", "MPO"):
        image.draft(image.mode, (side, side))  # libjpeg decodes at 1/2, 1/4 or 1/8 scale
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise errors.too_many_pixels(MAX_PIXELS) from None
    except _DECODE_ERRORS:
        raise errors.damaged() from None
    image = _shrink(image, side)
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except _DECODE_ERRORS:
        pass  # unreadable EXIF: keep the pixels as stored (the metadata is dropped anyway)
    return _to_srgb(image)


def _shrink(image: Image.Image, side: int) -> Image.Image:
    """Box-average a large decoded image by a whole factor first, so later copies stay small."""
    factor = min(image.width // side, image.height // side)
    if factor < 2:
        return image
    # Pillow averages RGBA and LA with premultiplied alpha: no dark fringes at transparent edges
    if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image.reduce(factor)
    # Palette, 1-bit and 16-bit images are widened to RGB(A) or L to be averaged: band by band,
    # so the widened copy of a 48 MP palette PNG never exists whole (it would be 4 times larger).
    return _reduce_in_bands(image, factor)


def _reduce_in_bands(image: Image.Image, factor: int) -> Image.Image:
    widened = _widened_mode(image)
    band = factor * 64  # rows per band: a multiple of the factor, so bands reduce exactly
    reduced = Image.new(widened, (image.width // factor, image.height // factor))
    width, height = reduced.width * factor, reduced.height * factor
    for top in range(0, height, band):
        rows = image.crop((0, top, width, min(top + band, height)))  # keeps palette and info
        reduced.paste(_widen(rows, widened).reduce(factor), (0, top // factor))
    # the colour profile and EXIF orientation still apply; the palette's transparency is alpha now
    reduced.info = {k: v for k, v in image.info.items() if k != "transparency"}
    return reduced


def _widened_mode(image: Image.Image) -> str:
    if image.mode.startswith("I") or image.mode == "1":
        return "L"
    return "RGBA" if _has_alpha(image) else "RGB"


def _widen(rows: Image.Image, mode: str) -> Image.Image:
    if rows.mode.startswith("I"):  # 16- or 32-bit greyscale to 8 bits
        return rows.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return rows.convert(mode)


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB or RGBA pixels in sRGB, whatever mode and colour profile the upload had."""
    alpha = _has_alpha(image)
    if image.mode.startswith("I"):  # 16- or 32-bit greyscale
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert("RGBA" if alpha else "RGB")
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "L", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            output = image.mode if image.mode in ("RGB", "RGBA") else "RGB"
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=output)
        except _DECODE_ERRORS:
            pass  # an unusable profile: read the pixels as sRGB
    if image.mode != mode:
        image = image.convert(mode)
    if mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # an alpha channel that is opaque everywhere costs bytes
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _centre_square(image: Image.Image) -> Image.Image:
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return image.crop((left, top, left + side, top + side))


def _fresh(image: Image.Image) -> Image.Image:
    """The same pixels in a new image that carries no metadata at all."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, kind: ImageKind) -> bytes:
    if kind is ImageKind.PHOTO:
        for quality in PHOTO_QUALITIES:
            data = _webp(image, quality=quality, method=6)  # slowest, smallest: worth it here
            if len(data) <= PHOTO_BUDGET:
                break
        return data
    # logos are mostly flat colour and text: lossless is often both sharper and smaller
    # (method 6 would take ten times longer on transparent logos for a few bytes)
    lossless = _webp(image, lossless=True, method=4)
    return min(lossless, _webp(image, quality=LOGO_QUALITY, method=4), key=len)


def _webp(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", exif=b"", xmp=b"", icc_profile=None, **options)
    return out.getvalue()
