"""The page's images: their files found under --assets, then stored by the image pipeline.

`attach_images` is the one place that talks to the pipeline: `store_upload(file, kind)` from
`wsapp.services.images` stores each file once, and the document refers to the result the way
the content format does (`photo:`/`logo:` hold an image key listed under `images:`, written by
`wsapp.services.content_images`). Without --assets nothing here runs and people get the
placeholder.
"""

import mimetypes
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from werkzeug.datastructures import FileStorage

from wsapp.extensions import db
from wsapp.importers.jekyll.report import ImageRef


@dataclass(frozen=True)
class Pipeline:
    """What the importer needs of the image pipeline."""

    store: Callable[[FileStorage, str], object]  # file, "photo" | "logo" -> a stored image
    key: Callable[[object], str]  # the content format's key for a stored image
    entries: Callable[[list], list[dict]]  # the `images:` entries for stored images
    errors: tuple[type[Exception], ...] = ()  # a refused file (reported, the import goes on)


def pipeline() -> Pipeline:
    """The app's image pipeline, in the shape the importer uses."""
    from wsapp.services.content.images import dump_images, image_key
    from wsapp.services.images import ImageError, ImageKind, store_upload

    return Pipeline(
        store=lambda upload, kind: store_upload(upload, ImageKind(kind)),
        key=image_key,
        entries=dump_images,
        errors=(ImageError,),
    )


def resolve(refs: list[ImageRef], assets: Path) -> None:
    """Find each image's file under `assets` (the site's root or its image folder)."""
    root = assets.resolve()
    for ref in refs:
        parts = urlsplit(ref.src)
        if parts.scheme or parts.netloc:
            ref.status = "remote image: not downloaded (save it under --assets)"
            continue
        relative = PurePosixPath(unquote(parts.path).lstrip("/"))
        found = next((p for p in _candidates(root, relative) if p.is_file()), None)
        if found is None:
            ref.status = f"missing: no file for it under {assets}"
        else:
            ref.path, ref.status = found, "found"


def _candidates(root: Path, relative: PurePosixPath):
    """root/assets/img/x.png, root/img/x.png, root/x.png, then x.png anywhere below root."""
    for i in range(len(relative.parts)):
        path = (root / Path(*relative.parts[i:])).resolve()
        if path.is_relative_to(root):
            yield path
    yield from sorted(root.rglob(relative.name))


def attach_images(content: dict, refs: list[ImageRef], pipe: Pipeline | None = None, track=None):
    """Store every found image once and point its person, sponsor or institution at it."""
    pipe = pipe or pipeline()
    track = track or (lambda items, label: nullcontext(items))
    workshop = content["workshops"][0]
    people = {person["key"]: person for person in content["people"]}
    stored: dict[tuple[Path, str], object] = {}
    found = [ref for ref in refs if ref.path is not None]
    with track(found, "Storing images") as bar:
        for ref in bar:
            key = (ref.path, ref.kind)
            if key not in stored:
                try:
                    stored[key] = _store(pipe, ref)
                except pipe.errors as exc:
                    ref.status = f"refused by the image pipeline: {exc}"
                    continue
            collection, index = ref.target
            target = people[index] if collection == "people" else workshop[collection][index]
            target["photo" if ref.kind == "photo" else "logo"] = pipe.key(stored[key])
            ref.status = "stored"
    db.session.flush()  # new image records get their ids (the entries are ordered by them)
    add_entries(content, pipe, list(stored.values()))
    return len(stored)


def _store(pipe: Pipeline, ref: ImageRef):
    with ref.path.open("rb") as stream:
        kind = mimetypes.guess_type(ref.path.name)[0] or "application/octet-stream"
        return pipe.store(FileStorage(stream=stream, filename=ref.path.name, content_type=kind),
                          ref.kind)  # fmt: skip


def add_entries(content: dict, pipe: Pipeline, images: list) -> None:
    """List stored images under the document's `images:` (each key once)."""
    listed = {entry["key"] for entry in content.setdefault("images", [])}
    content["images"] += [e for e in pipe.entries(images) if e["key"] not in listed]
