"""Uploads refused before anything is written, and stored renditions: files, records, reuse."""

import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import imagefiles as files
import pytest
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
