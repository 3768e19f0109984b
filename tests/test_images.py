"""The image pipeline: what is accepted, what comes out, what is refused, and what is stored."""

import functools
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import imagefiles as files
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from wsapp.extensions import db
from wsapp.models import Image, ImageKind
from wsapp.services import images
from wsapp.services.images import pipeline

KB = 1024


def upload(data: bytes, filename: str = "upload.jpg", content_type: str = "image/jpeg"):
    return FileStorage(io.BytesIO(data), filename=filename, content_type=content_type)


def media_files(app) -> list[str]:
    folder = app.config["MEDIA_DIR"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def image_count() -> int:
    return db.session.scalar(select(func.count(Image.id)))


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


@functools.cache
def small_valid_files() -> list[bytes]:
    picture = files.upright_picture(64, 48, grain=16)
    return [
        files.encoded(picture, "JPEG", quality=80, exif=files.phone_exif(3)),
        files.encoded(picture.convert("RGBA"), "PNG"),
        files.encoded(picture, "WEBP", quality=80),
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(0, 2),
    edits=st.lists(
        st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6
    ),
    cut=st.integers(0, 10**6),
)
def test_damaged_files_give_an_image_error_or_a_clean_result(which, edits, cut):
    """Corrupted JPEG, PNG and WebP files never raise anything but ImageError."""
    data = bytearray(small_valid_files()[which])
    for offset, patch in edits:
        at = offset % len(data)
        data[at : at + len(patch)] = patch
    data = bytes(data[: max(1, cut % (len(data) + 1))])
    try:
        result = pipeline.process(data, ImageKind.PHOTO)
    except images.ImageError:
        return
    assert opened(result.x2.data).size == (320, 320)


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.sampled_from(
        [
            b"",
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"RIFF\x00\x00\x00\x00WEBPVP8 ",
            b"GIF89a",
            b"<svg",
            b"\x00\x00\x00\x18ftypheic",
        ]
    ),
    body=st.binary(max_size=300),
)
def test_random_bytes_are_refused_with_a_message(prefix, body):
    with pytest.raises(images.ImageError) as refused:
        pipeline.process(prefix + body, ImageKind.LOGO)
    assert str(refused.value)


REFUSED = {
    "gif": (files.gif, "GIF files are not accepted"),
    "svg": (files.svg, "SVG files are not accepted"),
    "text named .jpg": (lambda: b"Not a picture at all\n" * 20, "not a JPEG, PNG or WebP image"),
    "truncated jpeg": (files.truncated_jpeg, "damaged or incomplete"),
    "truncated png": (files.truncated_png, "damaged or incomplete"),
    "png bomb": (lambda: files.png_declaring(100_000, 100_000), "megapixels"),
    "png over the limit": (lambda: files.png_declaring(8000, 8000), "megapixels"),
    "animated png": (files.animated_png, "Animated images are not accepted"),
    "animated webp": (files.animated_webp, "Animated images are not accepted"),
    "empty": (lambda: b"", "The file is empty"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_uploads_write_nothing(app, case):
    make, message = REFUSED[case]
    with app.app_context():
        before = image_count()
        for kind in ImageKind:
            with pytest.raises(images.ImageError) as refused:
                images.store_upload(upload(make(), "photo.jpg", "image/jpeg"), kind)
            assert message in str(refused.value)
        assert image_count() == before
        assert media_files(app) == []


def test_pixel_limit_holds_when_bomb_warnings_are_not_errors():
    """In production the DecompressionBombWarning is only a warning: our own check refuses."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(images.ImageError, match="8000 × 8000 pixels"):
            pipeline.process(files.png_declaring(8000, 8000), ImageKind.PHOTO)
    assert any(issubclass(w.category, PILImage.DecompressionBombWarning) for w in caught)
    assert PILImage.MAX_IMAGE_PIXELS == pipeline.MAX_PIXELS


def test_oversize_upload_is_refused_before_decoding(app):
    app.config["MAX_IMAGE_BYTES"] = 100 * KB
    data = files.encoded(files.upright_picture(900, 900, grain=300), "PNG")
    assert len(data) > 100 * KB
    with app.app_context():
        before = image_count()
        with pytest.raises(images.ImageError, match="larger than 100 KB"):
            images.store_upload(upload(data), ImageKind.PHOTO)
        assert image_count() == before
        assert media_files(app) == []


def test_store_upload_writes_two_files_and_one_record(app):
    with app.app_context():
        before = image_count()
        image = images.store_upload(upload(files.phone_photo()), ImageKind.PHOTO)
        db.session.flush()
        assert image_count() == before + 1
        assert image.kind is ImageKind.PHOTO
        assert (image.width, image.height) == (160, 160)
        assert sorted([image.file_1x, image.file_2x]) == media_files(app)
        folder = app.config["MEDIA_DIR"]
        for name, size in ((image.file_1x, image.bytes_1x), (image.file_2x, image.bytes_2x)):
            data = Path(folder, name).read_bytes()
            assert len(data) == size
            assert name == images.Rendition(data, 0, 0).name  # named by its own sha256
        assert image.bytes_2x <= 40 * KB
        assert image.created_dt.tzinfo is not None


def test_same_upload_twice_is_one_set_of_files(app):
    with app.app_context():
        first = images.store_upload(upload(files.webp_photo()), ImageKind.PHOTO)
        db.session.flush()
        inode = os.stat(os.path.join(app.config["MEDIA_DIR"], first.file_2x)).st_ino
        again = images.store_upload(upload(files.webp_photo(), "other name.webp"), ImageKind.PHOTO)
        reprocessed = images.store(pipeline.process(files.webp_photo(), ImageKind.PHOTO))
        assert again is first and reprocessed is first
        assert len(media_files(app)) == 2
        assert os.stat(os.path.join(app.config["MEDIA_DIR"], first.file_2x)).st_ino == inode
        as_logo = images.store_upload(upload(files.webp_photo()), ImageKind.LOGO)
        assert as_logo is not first and as_logo.kind is ImageKind.LOGO


def test_missing_files_are_written_again(app):
    with app.app_context():
        first = images.store_upload(upload(files.webp_photo()), ImageKind.PHOTO)
        db.session.flush()
        os.unlink(os.path.join(app.config["MEDIA_DIR"], first.file_1x))
        again = images.store_upload(upload(files.webp_photo()), ImageKind.PHOTO)
        assert again is first
        assert sorted([first.file_1x, first.file_2x]) == media_files(app)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_large_jpeg_is_decoded_at_reduced_scale(tmp_path):
    """A 6000x6000 JPEG (108 MB of pixels) is processed in a few MB: libjpeg scales it down."""
    path = tmp_path / "big.jpg"
    path.write_bytes(files.phone_photo())
    # VmHWM (peak resident memory) starts afresh in a new program, unlike ru_maxrss after fork
    script = (
        "import sys\n"
        "from wsapp.services.images import pipeline\n"
        "def peak():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1])\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "before = peak()\n"
        "pipeline.process(data, 'photo')\n"
        "print(peak() - before)\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    growth_kb = int(done.stdout.strip())
    assert growth_kb < 60 * 1024, f"peak memory grew by {growth_kb} KB"
