"""What decoding an upload costs in memory, the budget it must stay under, and the turns.

PNG and WebP (and a progressive JPEG's coefficients) cannot be decoded at a reduced size with
Pillow: their cost is estimated from the header before any pixel is decoded (decode_cost), and
an upload costing more than MEMORY_BUDGET is refused with the reason. At most
`WSAPP_IMAGES_AT_ONCE` uploads (default 1) are decoded at once in a process; the others wait
their turn for WAIT_SECONDS, then are refused. Figures: docs/benchmarks.md, bench/images.py.
"""

import threading
from contextlib import contextmanager

from PIL import Image

from wsapp.services.images import errors

# The most memory decoding one upload may take (estimated from its header by decode_cost): a
# 48 MP PNG passes (4 bytes a pixel, 195 MB), a WebP is limited to about 16 MP (libwebp's
# canvas, its copy and Pillow's image: about 16 bytes a pixel).
MEMORY_BUDGET = 256 * 1024 * 1024
WEBP_BYTES_PER_PIXEL = 16
WAIT_SECONDS = 20  # how long an upload waits for its turn (gunicorn's timeout is 30 s)
_at_once = threading.BoundedSemaphore(1)


def limit_at_once(count: int) -> None:
    """Let `count` images be decoded at once in this process (WSAPP_IMAGES_AT_ONCE)."""
    global _at_once
    _at_once = threading.BoundedSemaphore(count)


@contextmanager
def turn():
    """One of the process's decoding slots, or ImageError after WAIT_SECONDS."""
    slots = _at_once
    if not slots.acquire(timeout=WAIT_SECONDS):
        raise errors.busy()
    try:
        yield
    finally:
        slots.release()


def check_webp_header(data: bytes) -> None:
    """Refuse a WebP whose size (read from its header) is over the budget, before decoding."""
    size = _webp_size(data)
    if size is not None and size[0] * size[1] * WEBP_BYTES_PER_PIXEL > MEMORY_BUDGET:
        raise errors.too_costly("WEBP", size, MEMORY_BUDGET)


def _webp_size(data: bytes) -> tuple[int, int] | None:
    """The canvas size a WebP file's header declares (VP8, VP8L or VP8X), else None."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(
            data[28:30], "little"
        ) & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def check_cost(image: Image.Image, side: int) -> None:
    """Refuse an (opened, not loaded) image whose decoding would cost more than the budget."""
    if decode_cost(image, side) > MEMORY_BUDGET:
        raise errors.too_costly(image.format, image.size, MEMORY_BUDGET)


def decode_cost(image: Image.Image, side: int) -> int:
    """The bytes decoding this (opened, not loaded) image takes at most, from its header; a
    baseline JPEG is decoded at the smallest scale that keeps both sides at least `side`."""
    width, height = image.size
    if image.format == "WEBP":
        return width * height * WEBP_BYTES_PER_PIXEL
    if image.format in ("JPEG", "MPO"):
        if not image.info.get("progressive"):
            scale = next((s for s in (8, 4, 2) if min(width, height) // s >= side), 1)
            return (width // scale + 1) * (height // scale + 1) * 4
        # libjpeg keeps a progressive file's DCT coefficients whole: 2 bytes each, per component
        # at its own sampling (4:2:0 chroma holds a quarter of the luma's)
        layers = getattr(image, "layer", None) or [(None, 1, 1, None)] * len(image.getbands())
        h_max, v_max = max(h for _, h, _, _ in layers), max(v for _, _, v, _ in layers)
        samples = sum(width * height * h * v // (h_max * v_max) for _, h, v, _ in layers)
        return samples * 2 + width * height // 16
    # Pillow keeps 1, L and P in a byte a pixel, I;16 in two, everything else (RGB too) in four
    return width * height * {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2}.get(image.mode, 4)
