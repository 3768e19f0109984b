"""What checking an uploaded PDF costs, against pypdf merely opening it and counting its pages.

    .venv/bin/python bench/pdf_check.py

The checks (services/documents/pdf.py) walk every object of the file looking for scripts and
launch actions; the baseline, measured in the same run on the same bytes, is pypdf reading the
file and its page count, which any PDF handling needs anyway. Prints milliseconds per file
(median of several runs) and the ratio.
"""

import io
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pdffiles  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from wsapp import create_app  # noqa: E402
from wsapp.services.documents.pdf import check_pdf  # noqa: E402

RUNS = 7


def _median_ms(action, data: bytes) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action(data)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _baseline(data: bytes) -> None:
    with warnings.catch_warnings():  # as the checks do
        warnings.simplefilter("ignore")
        len(PdfReader(io.BytesIO(data), strict=False).pages)


def main() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": "sqlite://"})
    files = {
        "LaTeX paper (17 pages, 140 KB)": pdffiles.REAL_PDF.read_bytes(),
        "generated, 300 pages": pdffiles.paper_pdf("Long", pages=300),
        "generated, 1 page": pdffiles.paper_pdf("Short"),
    }
    print(f"{'file':<34} {'bytes':>9} {'open+pages ms':>14} {'checks ms':>10} {'ratio':>6}")
    with app.test_request_context():
        for name, data in files.items():
            base = _median_ms(_baseline, data)
            checked = _median_ms(check_pdf, data)
            ratio = checked / base
            print(f"{name:<34} {len(data):>9} {base:>14.1f} {checked:>10.1f} {ratio:>6.1f}")


if __name__ == "__main__":
    main()
