"""flask commands to move a workshop in and out: `import jekyll` and `freeze`.

cli.py adds `import_jekyll` to its `import` group and `freeze` to its commands.
"""

import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from wsapp.extensions import db
from wsapp.services import freeze as freezing
from wsapp.services import jekyll


@contextmanager
def _progress(items, label: str):
    """A progress bar on stderr for long steps (hidden when stderr is not a terminal)."""
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield bar


@click.command("jekyll")
@with_appcontext
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--assets", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The old site's folder (or its image folder): photos and logos are found "
                   "there and stored by the image pipeline.")  # fmt: skip
@click.option("--slug", help="The workshop's URL name (default: short name and year).")
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
def import_jekyll(page, assets, slug, timezone, day, posts, publish, dry_run) -> None:
    """Create or update a workshop from a Jekyll (al-folio) page such as PAGE.md.

    Importing the same page again updates the workshop; nothing is duplicated. The report
    lists what was mapped, what was not, the skipped <!-- --> blocks and the images.
    """
    options = jekyll.Options(
        slug=slug, timezone=timezone, date=day.date() if day else None, publish=publish
    )
    try:
        if assets is not None and not dry_run:
            jekyll.images.pipeline()  # fail before reading anything
        workshop, report = jekyll.import_page(
            page, options, assets=assets, posts=posts, store_images=not dry_run,
            track=_progress,
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


def _url(ctx, param, value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter(f"{value!r} is not an absolute http(s) address")
    return value.rstrip("/") + "/" if value else None


@click.command("freeze")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--slug", help="Only this workshop (its home becomes the copy's front page).")
@click.option(
    "--base-url",
    callback=_url,
    help="The live site, e.g. https://workshops.example.org/: voting, forms and "
    "anything not copied link there, and it is the canonical address.",
)
@click.option(
    "--mirror-url",
    callback=_url,
    help="Where the copy will be served (for sitemap.xml and robots.txt).",
)
@click.option("--overwrite", is_flag=True, help="Write into a folder that is not empty.")
@with_appcontext
def freeze(outdir, slug, base_url, mirror_url, overwrite) -> None:
    """Write a static copy of the public site to OUTDIR, with relative links.

    The copy works opened from disk and on GitHub Pages. Timezone switching is left out
    (times show in the venue's zone; the calendar exports are copied).
    """  # fmt: skip
    if outdir.exists() and any(outdir.iterdir()) and not overwrite:
        raise click.ClickException(f"{outdir} is not empty (pass --overwrite to write into it)")
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        report = freezing.freeze_site(
            current_app._get_current_object(), outdir, slug=slug, base_url=base_url,
            mirror_url=mirror_url, track=_progress,
        )  # fmt: skip
    except freezing.FreezeError as exc:
        raise click.ClickException(str(exc)) from exc
    pages = sum(1 for f in report.files if f.endswith(".html"))
    size = sum(report.files.values())
    click.echo(
        f"Wrote {len(report.files)} files ({pages} pages, {size / 1024:.0f} KiB) to {outdir}"
    )
    if report.unlinked:
        click.echo("Copied though no page links to them: " + ", ".join(report.unlinked))
    if report.live:
        where = base_url or "nowhere (no --base-url: the links were removed)"
        click.echo(f"Left to the live server ({where}): " + ", ".join(sorted(report.live)))
    if report.dropped:
        click.echo(f"{len(report.dropped)} links lost their query string (e.g. ?tz=) and show "
                   "the page's default view")  # fmt: skip
    for page in report.forms:
        click.echo(f"Form removed: {page}")
    for warning in report.warnings:
        click.echo(f"Warning: {warning}")
    if report.broken:
        for page, link, status in report.broken:
            click.echo(f"Broken link on {page}: {link} answers {status}", err=True)
        raise click.ClickException(f"{len(report.broken)} broken internal links")
