"""Image files for the upload tests, made with Pillow (no binary fixtures in the repository)."""

import functools
import io
import struct
import zlib

from PIL import Image, ImageCms, ImageDraw

# Unique byte strings placed in the metadata of the uploads: none may reach a rendition.
EXIF_MARKER = "WSAPP-EXIF-MARKER-7f3a"
GPS_MARKER = "WSAPP-GPS-MARKER-c91e"
XMP_MARKER = "WSAPP-XMP-MARKER-42d0"
GPS_LATITUDE = (48.0, 51.0, 29.53)  # Paris: degrees, minutes, seconds

# The picture as it should look: four quadrants of distinct colours.
QUADRANTS = {
    "top_left": (200, 40, 40),
    "top_right": (40, 160, 60),
    "bottom_left": (40, 60, 200),
    "bottom_right": (230, 230, 230),
}


def upright_picture(width: int, height: int, grain: int = 400) -> Image.Image:
    """The four quadrants under a photo-like texture (noise at about the 2x rendition's scale)."""
    picture = Image.new("RGB", (width, height))
    w, h = width // 2, height // 2
    corners = {
        "top_left": (0, 0),
        "top_right": (w, 0),
        "bottom_left": (0, h),
        "bottom_right": (w, h),
    }
    for name, (x, y) in corners.items():
        picture.paste(QUADRANTS[name], (x, y, x + w, y + h))
    noise = Image.effect_noise((grain, grain), 40).resize((width, height), Image.Resampling.BICUBIC)
    return Image.blend(picture, Image.merge("RGB", (noise, noise, noise)), 0.35)


def phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "TestPhone"  # Make
    exif[0x010E] = EXIF_MARKER  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.0)
    gps[27] = GPS_MARKER  # GPSProcessingMethod
    return exif


def xmp_packet() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
        b'-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:title="'
        + XMP_MARKER.encode()
        + b'"/></rdf:RDF></x:xmpmeta>'
    )


@functools.cache
def phone_photo(size: int = 6000) -> bytes:
    """A size x size JPEG stored sideways with orientation 6 (rotate 90° clockwise to view),
    carrying EXIF with GPS coordinates, XMP and an ICC profile, like a phone's camera output."""
    stored = upright_picture(size, size).transpose(Image.Transpose.ROTATE_90)
    out = io.BytesIO()
    stored.save(
        out, "JPEG", quality=90, exif=phone_exif(6), xmp=xmp_packet(), icc_profile=srgb_profile()
    )
    return out.getvalue()


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def logo_png(width: int = 800, height: int = 300) -> bytes:
    """A transparent PNG logo: a red disc and a dark bar on nothing."""
    logo = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((10, 10, height - 10, height - 10), fill=(200, 30, 30, 255))
    draw.rectangle((height + 20, height // 3, width - 20, 2 * height // 3), fill=(20, 20, 40, 255))
    return encoded(logo, "PNG", icc_profile=srgb_profile())


@functools.cache
def webp_photo(width: int = 900, height: int = 600) -> bytes:
    return encoded(upright_picture(width, height, grain=100), "WEBP", quality=90)


def gif() -> bytes:
    return encoded(Image.new("P", (64, 64), 3), "GIF")


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
    )


def animated_png() -> bytes:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    return encoded(frames[0], "PNG", save_all=True, append_images=frames[1:])


def animated_webp() -> bytes:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    return encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:])


def truncated_jpeg() -> bytes:
    whole = encoded(upright_picture(1200, 1200, grain=200), "JPEG", quality=90)
    return whole[: len(whole) * 6 // 10]


def truncated_png() -> bytes:
    whole = encoded(upright_picture(600, 600, grain=100), "PNG")
    return whole[: len(whole) // 2]


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header claims width x height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 65536, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def webp_chunks(data: bytes) -> list[bytes]:
    """The RIFF chunk types of a WebP file, in order."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunks.append(kind)
        pos += 8 + size + (size & 1)
    return chunks
