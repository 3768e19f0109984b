"""Peak memory of the image pipeline on 49-megapixel uploads, one at a time and four at once.

    .venv/bin/python bench/images.py --photo PHOTO.jpg --graphic GRAPHIC.png

PHOTO is a real photograph and GRAPHIC a real flat-colour picture (a logo, a poster); each is
enlarged to 8064 x 6048 pixels (48.8 MP, a 48 MP phone camera's size, under the 50 MP limit)
and saved as the uploads an organizer could send, each under the 10 MiB upload limit: a
baseline JPEG, a progressive JPEG, a lossy WebP, an RGB PNG and a palette PNG. Without the
options, pictures made of noise stand in (their figures are the same: memory depends on the
size and the format, not on the picture). The figures in docs/benchmarks.md come from Debian's
mate-backgrounds (nature/Wood.jpg, a photograph) and plasma-workspace-wallpapers (Altai, a
flat-colour picture): `apt-get download mate-backgrounds plasma-workspace-wallpapers` and
`dpkg-deb -x` them.

Each upload is processed in a fresh Python process (`wsapp.services.images.process`, as an
upload is); the figure is how far the process's peak resident memory (Linux's VmHWM, reset
just before) rises above its resident memory just before, once a small warm-up image has loaded
the codecs. (ru_maxrss would not do: a child process inherits its parent's.) "4 at once" runs
four threads on the same upload in one process, as four simultaneous requests in one worker.
"""

import argparse
import io
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image

SIZE = (8064, 6048)  # what a 48 MP phone camera writes: 48.8 megapixels
LIMIT = 10 * 1024 * 1024


def uploads(photo: Path | None, graphic: Path | None, folder: Path) -> dict[str, Path]:
    """The 49 MP test uploads, written to folder: {label: path}."""
    picture = _source(photo, "RGB")
    flat = _source(graphic, "RGB", flat=True)
    made = {
        "JPEG baseline q90": _save(picture, "JPEG", quality=90),
        "JPEG progressive q85": _save(picture, "JPEG", quality=85, progressive=True),
        "WebP lossy q80": _save(picture, "WEBP", quality=80, method=0),
        "WebP lossy q80, 4000 x 4000": _save(
            picture.crop((0, 0, 4000, 4000)), "WEBP", quality=80, method=0
        ),
        "PNG RGB (flat colours)": _save(flat, "PNG", optimize=False, compress_level=9),
        "PNG palette (flat colours)": _save(
            flat.quantize(64, method=Image.Quantize.MEDIANCUT), "PNG", compress_level=9
        ),
    }
    paths = {}
    for label, data in made.items():
        if len(data) > LIMIT:
            print(f"skipped {label}: {len(data) / 2**20:.1f} MiB is over the upload limit")
            continue
        path = folder / (label.split()[0] + "-" + str(len(paths)) + ".img")
        path.write_bytes(data)
        paths[label] = path
    return paths


def _source(path: Path | None, mode: str, flat: bool = False) -> Image.Image:
    if path is None:  # noise (or, for the graphic, large flat blocks of it)
        small = Image.effect_noise((SIZE[0] // 64, SIZE[1] // 64) if flat else (504, 378), 90)
        return small.convert(mode).resize(SIZE, Image.Resampling.NEAREST if flat else 3)
    with Image.open(path) as image:
        return image.convert(mode).resize(SIZE, Image.Resampling.LANCZOS)


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def measure(path: Path, kind: str, threads: int) -> dict:
    """In this process: the peak memory growth while `threads` threads process the upload."""
    from wsapp.models.media import ImageKind
    from wsapp.services.images.errors import ImageError
    from wsapp.services.images.pipeline import process

    data = path.read_bytes()
    warm = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(warm, "PNG")
    process(warm.getvalue(), ImageKind(kind))
    before = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    started = time.perf_counter()
    refusals = []

    def upload():
        try:
            process(data, ImageKind(kind))
        except ImageError as exc:
            refusals.append(str(exc))

    workers = [threading.Thread(target=upload) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    peak = (_status("VmHWM") - before) / 1024
    return {"peak_mib": peak, "seconds": seconds, "refused": refusals[:1]}


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def run(path: Path, kind: str, threads: int) -> dict:
    command = [sys.executable, __file__, "--measure", str(path), kind, str(threads)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photo", type=Path, help="a real photograph (JPEG, PNG or WebP)")
    parser.add_argument("--graphic", type=Path, help="a real flat-colour picture")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        path, kind, threads = args.measure
        print(json.dumps(measure(Path(path), kind, int(threads))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        files = uploads(args.photo, args.graphic, Path(tmp))
        print(f"{'upload (8064 x 6048 unless said)':32} {'MiB':>5}  {'kind':6}"
              f" {'1 at once':>16} {'4 at once':>16}")  # fmt: skip
        for label, path in files.items():
            size = path.stat().st_size / 2**20
            for kind in ("photo", "logo"):
                one, four = run(path, kind, 1), run(path, kind, 4)
                print(f"{label:32} {size:5.1f}  {kind:6} {_cell(one)} {_cell(four)}")


def _cell(result: dict) -> str:
    if result.get("refused"):
        return f"{'refused':>16}"
    return f"{result['peak_mib']:7.0f} MiB {result['seconds']:4.1f} s"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
