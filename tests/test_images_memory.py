"""Image decoding is bounded in memory: costs estimated from headers, a budget, band-wise
widening, and a process-wide limit on images decoded at once. (bench/images.py measures the
memory itself; these check the decisions.)"""

import io

import imagefiles as files
import pytest
from PIL import Image as PILImage

from wsapp.models import ImageKind
from wsapp.services.images import ImageError, memory, pipeline


def webp_declaring(width: int, height: int) -> bytes:
    """A real lossy WebP whose VP8 frame header claims width x height pixels."""
    data = bytearray(files.encoded(PILImage.new("RGB", (64, 48), "green"), "WEBP"))
    assert data[12:16] == b"VP8 " and data[23:26] == b"\x9d\x01\x2a"
    data[26:30] = width.to_bytes(2, "little") + height.to_bytes(2, "little")
    return bytes(data)


def jpeg_declaring(width: int, height: int, **options) -> bytes:
    """A real JPEG (progressive if asked) whose frame header claims width x height pixels."""
    data = bytearray(files.encoded(PILImage.new("RGB", (16, 16), "red"), "JPEG", **options))
    marker = b"\xff\xc2" if options.get("progressive") else b"\xff\xc0"
    sof = data.index(marker)
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def test_a_webp_too_large_to_decode_is_refused_from_its_header():
    with pytest.raises(ImageError) as error:
        pipeline.process(webp_declaring(8064, 6048), ImageKind.PHOTO)
    assert "WEBP image (8064 × 6048 pixels) needs more than 256 MB" in str(error.value)
    assert "upload it as a JPEG" in str(error.value)


def test_a_webp_within_the_budget_is_accepted():
    processed = pipeline.process(files.webp_photo(900, 600), ImageKind.PHOTO)
    assert processed.x2.width == 320


@pytest.mark.parametrize(
    "data, cost_mb, accepted",
    [
        (files.png_declaring(8064, 6048), 195, True),  # RGB: 4 bytes a pixel in Pillow
        (jpeg_declaring(8064, 6048), 4, True),  # baseline: decoded at 1/8 scale
        (jpeg_declaring(8064, 6048, progressive=True, subsampling=2), 149, True),  # 4:2:0
        (jpeg_declaring(8064, 6048, progressive=True, subsampling=0), 296, False),  # 4:4:4
    ],
)
def test_decoding_costs_come_from_the_header(data, cost_mb, accepted):
    image = PILImage.open(io.BytesIO(data))
    assert memory.decode_cost(image, 480) // 1_000_000 == pytest.approx(cost_mb, abs=2)
    if accepted:
        assert pipeline.open_image(data).size == (8064, 6048)
    else:
        with pytest.raises(ImageError, match="needs more than 256 MB"):
            pipeline.open_image(data)


def test_a_palette_image_is_widened_band_by_band_with_the_same_result():
    picture = files.upright_picture(1931, 1207, grain=60)
    palette = picture.quantize(48)
    palette.info["transparency"] = 5
    palette.info["icc_profile"] = files.srgb_profile()
    factor = 6
    whole = palette.convert("RGBA")
    expected = whole.crop((0, 0, whole.width // factor * factor, whole.height // factor * factor))
    reduced = pipeline._reduce_in_bands(palette, factor)
    assert reduced.mode == "RGBA" and reduced.size == (1931 // factor, 1207 // factor)
    assert reduced.tobytes() == expected.reduce(factor).tobytes()
    assert reduced.info["icc_profile"] == palette.info["icc_profile"]
    assert "transparency" not in reduced.info


def test_a_sixteen_bit_greyscale_png_is_reduced_too():
    grey = PILImage.linear_gradient("L").resize((2000, 1600)).convert("I;16")
    processed = pipeline.process(files.encoded(grey, "PNG"), ImageKind.LOGO)
    assert processed.x1.height == 48


def test_uploads_wait_their_turn_then_are_refused_with_the_reason(monkeypatch):
    monkeypatch.setattr(memory, "WAIT_SECONDS", 0.05)
    memory.limit_at_once(1)
    with memory.turn():  # another request is decoding
        with pytest.raises(ImageError, match="The server is busy with other images"):
            pipeline.process(files.logo_png(), ImageKind.LOGO)
    assert pipeline.process(files.logo_png(), ImageKind.LOGO).x1.height == 48


def test_the_limit_comes_from_the_setting(make_app, monkeypatch):
    monkeypatch.setattr(memory, "WAIT_SECONDS", 0.05)
    make_app(IMAGES_AT_ONCE=2)
    try:
        with memory.turn(), memory.turn():
            with pytest.raises(ImageError):
                pipeline.process(files.logo_png(), ImageKind.LOGO)
    finally:
        memory.limit_at_once(1)
