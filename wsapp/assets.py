"""Static files: built with content-hashed names and br/gzip copies, served by WhiteNoise.

The build (`build`, run by the app at start when the sources changed, or by `flask --app wsapp
static build`) copies every file of the static folder into STATIC_DIR twice: under its own name
and under a name that carries the first 12 hex digits of its sha256 (`css/site.486aa86ebe12.css`),
each with precompressed `.br` and `.gz` copies beside it, then writes `manifest.json` (source name
-> hashed name). `url_for('static', filename=...)` answers the hashed name, which WhiteNoise serves
as immutable (cached for years); the plain names get five minutes. Files of earlier builds stay,
so a page rendered by a server that still runs the previous release finds its stylesheet.
"""

import fcntl
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from wsapp.config_check import SettingsError

MANIFEST = "manifest.json"
HASH_DIGITS = 12
PLAIN_MAX_AGE = 300  # a plain name may change with the next release
FORMAT = 1  # bumped when the layout of a build changes: an older build is then redone


def hashed_name(name: str, data: bytes) -> str:
    """`css/site.css` -> `css/site.<12 hex digits of the content's sha256>.css`."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_DIGITS]
    folder, _, base = name.rpartition("/")
    stem, dot, suffix = base.rpartition(".")
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{base}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


def _sources(source: Path) -> dict[str, bytes]:
    return {
        path.relative_to(source).as_posix(): path.read_bytes()
        for path in sorted(source.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def _digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256(str(FORMAT).encode())
    for name, data in files.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Write atomically: servers starting at once may build the same files side by side."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".build-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _compressed(name: str, data: bytes) -> dict[str, bytes]:
    """The `.br` and `.gz` copies worth keeping (WhiteNoise's rule: at least 5% smaller)."""
    compressor = Compressor(quiet=True)
    if not compressor.should_compress(name) or not data:
        return {}
    copies = {".br": compressor.compress_brotli(data), ".gz": compressor.compress_gzip(data)}
    return {suffix: body for suffix, body in copies.items() if len(body) <= 0.95 * len(data)}


def build(source: Path, target: Path) -> dict:
    """Build `source` into `target` (hashed and plain names, compressed copies, manifest)."""
    files = _sources(source)
    names = {}
    for name, data in files.items():
        names[name] = hashed_name(name, data)
        copies = _compressed(name, data)
        for written in (names[name], name):
            _write(target / written, data)
            for suffix, body in copies.items():
                _write(target / (written + suffix), body)
    manifest = {"format": FORMAT, "sources": _digest(files), "files": names}
    _write(target / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    return manifest


def read_manifest(target: Path) -> dict | None:
    try:
        manifest = json.loads((target / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def ensure_built(source: Path, target: Path) -> dict:
    """The manifest of `target`, built first if it is missing, stale or incomplete."""
    manifest = read_manifest(target)
    if (
        manifest is None
        or manifest.get("sources") != _digest(_sources(source))
        or not all((target / hashed).is_file() for hashed in manifest["files"].values())
    ):
        manifest = build(source, target)
    return manifest


@contextmanager
def locked(target: Path):
    """One process at a time builds or reads `target`: workers that start together after an
    upgrade would otherwise list files another is still writing (the lock file is beside it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def static_dir(app: Flask) -> Path:
    """Where the built static files are: STATIC_DIR (by default static/ in the instance folder)."""
    return Path(app.config["STATIC_DIR"])


def _hashed_url(endpoint: str, values: dict) -> None:
    if endpoint == "static":
        names = current_app.extensions["wsapp.static"]
        values["filename"] = names.get(values.get("filename", ""), values.get("filename"))


def _security_headers(headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"


def register(app: Flask) -> None:
    """Build the static files if needed; serve them with WhiteNoise, in front of the app."""
    target = static_dir(app)
    try:
        with locked(target):
            names = ensure_built(Path(app.static_folder), target)["files"]
            prefix = app.static_url_path.rstrip("/") + "/"
            hashed = {prefix + name for name in names.values()}
            app.wsgi_app = WhiteNoise(  # it lists the files now, under the lock
                app.wsgi_app,
                root=str(target),
                prefix=prefix,
                max_age=PLAIN_MAX_AGE,  # hashed names: WhiteNoise's ten years, immutable
                allow_all_origins=False,
                immutable_file_test=lambda path, url: url in hashed,
                add_headers_function=_security_headers,
            )
    except OSError as exc:
        raise SettingsError(
            "STATIC_DIR", f"cannot build the static files in {target}: {exc}"
        ) from None
    app.extensions["wsapp.static"] = names
    app.url_defaults(_hashed_url)
