"""The image pipeline: what comes out of JPEG, PNG and WebP uploads (no database, no files)."""

import io

import imagefiles as files
from PIL import Image as PILImage

from wsapp.models import ImageKind
from wsapp.services.images import pipeline

KB = 1024


def opened(data: bytes) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(data))
    image.load()
    return image


def mean_colour(image: PILImage.Image, box) -> tuple[int, ...]:
    region = image.crop(box).convert("RGB").resize((1, 1), PILImage.Resampling.BOX)
    return region.getpixel((0, 0))


def assert_close(colour, expected, tolerance=45):
    assert all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True)), (
        colour,
        expected,
    )


def assert_clean(data: bytes) -> None:
    """No metadata of any kind in a rendition: only image data chunks, no markers, no EXIF."""
    assert set(files.webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    for marker in (files.EXIF_MARKER, files.GPS_MARKER, files.XMP_MARKER, "TestPhone"):
        assert marker.encode() not in data
    for forbidden in (b"Exif\x00\x00", b"EXIF", b"XMP ", b"ICCP", b"<x:xmpmeta", b"acsp"):
        assert forbidden not in data
    image = opened(data)
    assert dict(image.getexif()) == {}
    assert not image.info.get("exif") and not image.info.get("xmp")
    assert not image.info.get("icc_profile")


def test_phone_photo_becomes_clean_upright_square_renditions():
    source = files.phone_photo()
    before = PILImage.open(io.BytesIO(source))
    assert before.size == (6000, 6000)
    assert before.getexif()[0x0112] == 6  # the input really is sideways with GPS data
    assert before.getexif().get_ifd(0x8825)[2] == (48.0, 51.0, 29.53)

    result = pipeline.process(source, ImageKind.PHOTO)

    assert (result.x1.width, result.x1.height) == (160, 160)
    assert (result.x2.width, result.x2.height) == (320, 320)
    for rendition in (result.x1, result.x2):
        image = opened(rendition.data)
        assert image.format == "WEBP"
        assert image.size == (rendition.width, rendition.height)
        assert_clean(rendition.data)
        # upright: the stored pixels were turned; the orientation tag must have been applied
        w, h = image.size
        quarter = {
            "top_left": (0, 0),
            "top_right": (w // 2, 0),
            "bottom_left": (0, h // 2),
            "bottom_right": (w // 2, h // 2),
        }
        for name, (x, y) in quarter.items():
            box = (x + w // 8, y + h // 8, x + 3 * w // 8, y + 3 * h // 8)
            assert_close(mean_colour(image, box), files.QUADRANTS[name])
    assert len(result.x2.data) <= 40 * KB
    assert len(result.x1.data) < len(result.x2.data)


def test_photo_is_cropped_to_the_centre():
    wide = PILImage.new("RGB", (3000, 1000), (0, 0, 255))
    wide.paste((255, 0, 0), (1000, 0, 2000, 1000))  # only the middle third is red
    result = pipeline.process(files.encoded(wide, "PNG"), ImageKind.PHOTO)
    image = opened(result.x2.data)
    assert image.size == (320, 320)
    assert_close(mean_colour(image, (8, 8, 312, 312)), (255, 0, 0), tolerance=30)


def test_budget_holds_for_the_worst_case_photo():
    """Pure colour noise (no photo is harder to compress) still fits 40 KB at 2x."""
    noise = PILImage.merge("RGB", [PILImage.effect_noise((320, 320), 100) for _ in range(3)])
    result = pipeline.process(files.encoded(noise, "PNG"), ImageKind.PHOTO)
    assert len(result.x2.data) <= 40 * KB


def test_png_logo_keeps_alpha_and_aspect_ratio():
    result = pipeline.process(files.logo_png(800, 300), ImageKind.LOGO)
    assert (result.x1.width, result.x1.height) == (128, 48)  # 800:300 at 48 px high
    assert (result.x2.width, result.x2.height) == (256, 96)
    image = opened(result.x2.data)
    assert image.mode == "RGBA"
    assert image.getpixel((2, 2))[3] == 0  # the transparent corner stays transparent
    assert image.getpixel((48, 48))[3] == 255  # the disc is opaque
    assert_clean(result.x2.data)


def test_wide_logo_is_capped_in_width():
    banner = PILImage.new("RGB", (4000, 200), (10, 80, 160))
    result = pipeline.process(files.encoded(banner, "PNG"), ImageKind.LOGO)
    assert (result.x1.width, result.x1.height) == (240, 12)
    assert (result.x2.width, result.x2.height) == (480, 24)


def test_webp_upload_is_accepted():
    result = pipeline.process(files.webp_photo(900, 600), ImageKind.PHOTO)
    assert opened(result.x1.data).size == (160, 160)
    assert_clean(result.x1.data)


def test_unusable_colour_profile_is_ignored():
    picture = PILImage.new("RGB", (400, 300), (10, 120, 200))
    data = files.encoded(picture, "PNG", icc_profile=b"not a colour profile at all")
    assert PILImage.open(io.BytesIO(data)).info["icc_profile"]
    result = pipeline.process(data, ImageKind.LOGO)
    assert_close(opened(result.x1.data).getpixel((50, 20)), (10, 120, 200), tolerance=6)
    assert_clean(result.x1.data)


def test_greyscale_and_palette_uploads_are_normalised():
    grey = files.encoded(PILImage.new("I;16", (400, 400), 40000), "PNG")
    image = opened(pipeline.process(grey, ImageKind.PHOTO).x1.data)
    assert image.mode == "RGB"
    assert_close(image.getpixel((80, 80)), (156, 156, 156), tolerance=6)  # 40000 / 256
    palette = PILImage.new("P", (300, 300), 1)
    palette.putpalette([0, 0, 0, 0, 128, 0] + [0] * 762)
    image = opened(pipeline.process(files.encoded(palette, "PNG"), ImageKind.LOGO).x1.data)
    assert_close(image.convert("RGB").getpixel((10, 10)), (0, 128, 0), tolerance=6)


def test_multi_picture_jpeg_is_a_still_photo():
    """Phones write MPO: a JPEG followed by more pictures (a preview, a depth map)."""
    first = files.upright_picture(800, 800, grain=100)
    second = PILImage.new("RGB", (200, 200), (0, 0, 0))
    data = files.encoded(first, "MPO", save_all=True, append_images=[second])
    assert PILImage.open(io.BytesIO(data)).format == "MPO"
    image = opened(pipeline.process(data, ImageKind.PHOTO).x1.data)
    assert_close(mean_colour(image, (20, 20, 60, 60)), files.QUADRANTS["top_left"])
