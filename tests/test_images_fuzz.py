"""Hostile input to the image pipeline: corrupted and random files give ImageError, nothing else."""

import functools
import io

import imagefiles as files
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from wsapp.models import ImageKind
from wsapp.services import images
from wsapp.services.images import pipeline


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
    assert PILImage.open(io.BytesIO(result.x2.data)).size == (320, 320)


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
