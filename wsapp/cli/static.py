"""flask static build [DIR]: the static files with hashed names and compressed copies."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from wsapp import assets

static = AppGroup("static", help="The static files (stylesheets, scripts, icons) the site serves.")


@static.command("build")
@click.argument("target", required=False, type=click.Path(file_okay=False, path_type=Path))
def build(target: Path | None) -> None:
    """Build the static files into TARGET (default: WSAPP_STATIC_DIR).

    Each file is written under its own name and under a name with its content hash, with .br
    and .gz copies, and manifest.json maps one to the other. The app does the same at start
    when the files changed; earlier builds' files are kept.
    """
    target = target or assets.static_dir(current_app)
    with assets.locked(target):
        manifest = assets.build(Path(current_app.static_folder), target)
    click.echo(f"Built {len(manifest['files'])} static files into {target}")
