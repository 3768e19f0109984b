"""flask freeze OUTDIR: a static copy of the public site."""

from pathlib import Path

import click
from flask import current_app

from wsapp.cli.common import needs_database
from wsapp.cli.imports import progress
from wsapp.services import freeze as freezing


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
@needs_database
def freeze(outdir, slug, base_url, mirror_url, overwrite) -> None:
    """Write a static copy of the public site to OUTDIR, with relative links.

    The copy works opened from disk and on GitHub Pages. Timezone switching is left out
    (times show in the venue's zone; the calendar exports are copied).
    """  # fmt: skip
    if outdir.exists() and any(outdir.iterdir()) and not overwrite:
        raise click.ClickException(f"{outdir} is not empty (pass --overwrite to write into it)")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot create {outdir}: {exc.strerror or exc}") from None
    try:
        report = freezing.freeze_site(
            current_app._get_current_object(), outdir, slug=slug, base_url=base_url,
            mirror_url=mirror_url, track=progress,
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
