"""The page's images: their files found under --assets, then stored by the image pipeline.

`attach_images` is the one place that talks to the pipeline (`wsapp.services.images.store_upload`,
from the image pipeline branch). Until that module exists in the build, importing with --assets
stops with ImagePipelineUnavailable before anything is written; without --assets nothing here
runs and people get the placeholder.
"""

import mimetypes
from contextlib import nullcontext
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from werkzeug.datastructures import FileStorage

from wsapp.services.jekyll.report import ImageRef


class ImagePipelineUnavailable(RuntimeError):
    """--assets was given but this build has no image pipeline to store the files."""


def pipeline():
    """The pipeline's store_upload(file, kind), or ImagePipelineUnavailable."""
    try:
        from wsapp.services.images import store_upload
    except ImportError as exc:
        raise ImagePipelineUnavailable(
            "image pipeline not available in this build (wsapp.services.images.store_upload); "
            "import without --assets, or with --dry-run to check which files are found"
        ) from exc
    return store_upload


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


def attach_images(content: dict, refs: list[ImageRef], store=None, track=None) -> int:
    """Store every found image once and point its person, sponsor or institution at it."""
    store = store or pipeline()
    track = track or (lambda items, label: nullcontext(items))
    workshop = content["workshops"][0]
    people = {person["key"]: person for person in content["people"]}
    stored: dict[tuple[Path, str], object] = {}
    found = [ref for ref in refs if ref.path is not None]
    with track(found, "Storing images") as bar:
        for ref in bar:
            key = (ref.path, ref.kind)
            if key not in stored:
                with ref.path.open("rb") as stream:
                    kind = mimetypes.guess_type(ref.path.name)[0] or "application/octet-stream"
                    upload = FileStorage(stream=stream, filename=ref.path.name, content_type=kind)
                    stored[key] = store(upload, ref.kind)
            collection, index = ref.target
            target = people[index] if collection == "people" else workshop[collection][index]
            target["photo" if ref.kind == "photo" else "logo"] = image_reference(stored[key])
            ref.status = "stored"
    return len(stored)


def image_reference(image) -> object:
    """What the content format stores for an image: the pipeline's Image id.

    Merge note: adjust to the image branch's content format (id, key or path) when merging.
    """
    return getattr(image, "id", image)
