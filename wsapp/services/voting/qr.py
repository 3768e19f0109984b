"""QR codes drawn by the server as inline SVG: no external service, nothing for the CSP to allow."""

from functools import lru_cache

import qrcode
from markupsafe import Markup, escape

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


@lru_cache(maxsize=256)
def _matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def svg(data: str, label: str, css_class: str = "qr") -> Markup:
    """An <svg> of the QR code for `data`: black on white with its quiet zone, scalable.

    Each run of dark modules in a row is one path segment, so the markup stays small.
    """
    matrix = _matrix(data)
    size = len(matrix) + 2 * QUIET_ZONE
    segments = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                segments.append(
                    f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z"
                )
            else:
                x += 1
    return Markup(
        f'<svg class="{escape(css_class)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}" '
        f'shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(segments)}"/></svg>'
    )
