"""flask import ...: restore a backup archive, or import a workshop from its old Jekyll site."""

import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup

from wsapp.cli.common import needs_database
from wsapp.cli.content import import_archive
from wsapp.extensions import db
from wsapp.importers import jekyll


@contextmanager
def progress(items, label: str):
    """A progress bar on stderr for long steps (hidden when stderr is not a terminal)."""
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield bar


class ImportGroup(AppGroup):
    """`flask import FILE` restores a backup; `flask import <source> ...` runs an importer."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["archive", *args]
        return super().parse_args(ctx, args)


import_group = ImportGroup(
    "import", help="Restore a backup archive, or import a site from elsewhere."
)


@import_group.command("archive")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@needs_database
def archive(path: Path) -> None:
    """Restore an archive written by `flask export` into an empty database."""
    import_archive(path)


@import_group.command("jekyll")
@click.argument("page", type=click.Path(exists=True, path_type=Path))
@click.option("--assets", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The old site's folder (or its image folder): photos and logos are found "
                   "there and stored by the image pipeline.")  # fmt: skip
@click.option("--slug", help="The workshop's URL name (default: short name and year).")
@click.option("--title", help="The workshop's title, when the site names none (a home page "
                              "titled 'Home').")  # fmt: skip
@click.option("--home", type=click.Path(path_type=Path),
              help="With a site folder: the page to read as the home page (e.g. another "
                   "edition's page); only pages of its edition are read.")  # fmt: skip
@click.option("--timezone", help="The venue's IANA zone, when the schedule does not name it.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="The workshop day, when the page does not give it (YYYY-MM-DD).")  # fmt: skip
@click.option("--post", "posts", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Jekyll news post of the workshop (repeatable).")  # fmt: skip
@click.option(
    "--publish/--draft",
    default=None,
    help="Publish the workshop (default: published when new, unchanged on re-import).",
)
@click.option("--dry-run", is_flag=True, help="Read and check everything, store nothing.")
@needs_database
def import_jekyll(page, assets, slug, title, home, timezone, day, posts, publish, dry_run) -> None:
    """Create or update a workshop from a Jekyll site's folder, or from one page (PAGE.md).

    A folder is read whole: its pages, _config.yml, _data/ (YAML, CSV, JSON) and collections
    (_speakers/ ...). Importing again updates the workshop; nothing is duplicated. The report
    lists what was mapped, what was not, the skipped <!-- --> blocks and the images. An
    import with warnings is stored as a draft unless --publish is given.
    """
    options = jekyll.Options(
        slug=slug,
        title=title,
        timezone=timezone,
        date=day.date() if day else None,
        publish=publish,
    )
    try:
        if assets is not None and not dry_run:
            jekyll.images.pipeline()  # fail before reading anything
        workshop, report = jekyll.import_page(
            page, options, assets=assets, posts=posts, store_images=not dry_run,
            track=progress,
        )  # fmt: skip
    except jekyll.ImportFailed as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    for line in report.lines():
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was stored.")
        return
    db.session.commit()
    state = "published" if workshop.is_published else "a draft"
    click.echo(f"Stored /{workshop.slug}/ ({state}).")
