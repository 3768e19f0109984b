"""Printable ballot cards: each issued code with its voting address and QR code."""

from collections.abc import Callable

from markupsafe import Markup

from wsapp.services.voting import qr
from wsapp.services.voting.codes import IssuedCode


def for_codes(codes: list[IssuedCode], vote_url: Callable[[str], str]) -> list[tuple]:
    """(code, url, QR svg) for each code; vote_url(code) is the absolute voting address."""
    result: list[tuple[IssuedCode, str, Markup]] = []
    for issued in codes:
        url = vote_url(issued.code)
        result.append((issued, url, qr.svg(url, f"QR code for ballot {issued.code}", "qr qr-card")))
    return result
