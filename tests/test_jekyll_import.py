"""`flask import jekyll`: each seed page imported into an empty database shows every seed fact.

The facts and their checks are those of test_seed_facts.py (parsed from the seed copies by
seedfacts.py); here they run against a workshop the importer built, not the demo content.
"""

from pathlib import Path

import imagefiles
import pytest
from accounts import login, make_user
from seedfacts import parse_seed
from sqlalchemy import func, select, text
from test_seed_facts import FACT_CHECKS, FIXTURES, check_news_post, seed

from wsapp.extensions import db
from wsapp.models import Announcement, ImageKind, NewsPost, Person, Role, Workshop
from wsapp.services import images
from wsapp.services.content.site import dump_site

SEEDS = {  # slug -> the page, its news posts
    "bugs-2023": ("bugs-2023-page-final.md", ["000_57b55239e531d781.txt"]),
    "synthetic-2024": ("001_9cc6530fd49b137d.txt", []),
}
DAY_PAGE = FIXTURES / "bugs-2023-page-on-workshop-day.md"


def run_import(app, page: Path, *args: str):
    result = app.test_cli_runner().invoke(args=["import", "jekyll", str(page), *args])
    assert result.exit_code == 0, result.output
    return result


def import_seed(app, slug: str):
    page, posts = SEEDS[slug]
    post_args = [arg for name in posts for arg in ("--post", str(FIXTURES / name))]
    # --publish: the organizer has read the report (the seeds map with warnings, which would
    # otherwise store a draft; see test_import_with_warnings_is_a_draft).
    return run_import(app, FIXTURES / page, "--slug", slug, "--publish", *post_args)


@pytest.fixture
def empty_app(fresh_app):
    app = fresh_app()
    with app.app_context():
        db.create_all()
    return app


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


@pytest.mark.parametrize("slug", [*SEEDS, "workshop-day"])
def test_imported_seed_shows_every_seed_fact(empty_app, slug):
    if slug == "workshop-day":  # the 2023 page as it stood on the day: votes, a third sponsor
        run_import(empty_app, DAY_PAGE, "--slug", "bugs-2023", "--publish")
        slug, facts, posts = "bugs-2023", parse_seed(DAY_PAGE), []
        assert len(facts.sponsors) == 3  # Google.org joined on the day
    else:
        import_seed(empty_app, slug)
        facts, posts = seed(slug), SEEDS[slug][1]
    client = empty_app.test_client()
    failures = []
    for name, check in FACT_CHECKS.items():
        try:
            check(client, slug, facts)
        except AssertionError as exc:
            failures.append(f"[{name}] {exc}")
    for post in posts:
        try:
            check_news_post(client, slug, post)
        except AssertionError as exc:
            failures.append(f"[news] {exc}")
    assert not failures, "\n\n".join(failures)


def test_reimport_is_idempotent(empty_app):
    for slug in SEEDS:
        import_seed(empty_app, slug)
    before = row_counts(empty_app)
    with empty_app.app_context():
        dumped = dump_site()
    for slug in SEEDS:
        import_seed(empty_app, slug)
    assert row_counts(empty_app) == before
    with empty_app.app_context():
        assert dump_site() == dumped
        names = db.session.scalars(select(Person.name)).all()
    assert len(names) == len(set(names)), "a person was created twice"
    # 18 people in 2023; 2024 adds five speakers (Tom Goldstein organized 2023) and John Doe.
    assert before["workshop"] == 2 and before["person"] == 24


def test_reimport_keeps_what_the_page_does_not_know(app):
    """Over the demo's hand-made bugs-2023: its news post and announcement stay, flags too."""
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        workshop.is_published, workshop.contact_email = False, "bugs@example.org"
        photo = images.store(images.process(imagefiles.webp_photo(), ImageKind.PHOTO))
        for role in db.session.scalars(select(Role).where(Role.workshop_id == workshop.id)):
            role.photo = photo  # uploaded by its organizers; the page (no --assets) has none
        db.session.commit()
        photo_id = photo.id
    run_import(app, FIXTURES / SEEDS["bugs-2023"][0], "--slug", "bugs-2023")
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        assert (workshop.is_published, workshop.contact_email) == (False, "bugs@example.org")
        roles = db.session.scalars(select(Role).where(Role.workshop_id == workshop.id)).all()
        assert len(roles) > 10 and all(r.photo_id == photo_id for r in roles)
        assert workshop.short_name == "BUGS"
        posts = db.session.scalars(select(NewsPost.slug).where(NewsPost.workshop_id == workshop.id))
        assert list(posts) == ["neurips-workshop-backdoors-in-deep-learning"]
        texts = db.session.scalars(select(Announcement.text_md)).all()
        assert any("post-workshop social" in t for t in texts)
    # The same post imported under another slug replaces the demo's copy (same title).
    post = str(FIXTURES / SEEDS["bugs-2023"][1][0])
    run_import(app, FIXTURES / SEEDS["bugs-2023"][0], "--slug", "bugs-2023", "--post", post)
    with app.app_context():
        titles = db.session.scalars(
            select(NewsPost.title).where(NewsPost.workshop_id == workshop.id)
        )
        assert len(list(titles)) == 1


def test_report_lists_comments_votes_images_and_choices(empty_app):
    output = run_import(empty_app, DAY_PAGE, "--slug", "bugs-2023").output
    assert "Skipped 8 commented-out blocks" in output
    assert "line 82: <td" in output and "Dawn Song" in output
    assert "Vote Best Oral: https://bit.ly/bugs-orals" in output
    assert "Vote Best Poster: https://bit.ly/bugs-posters" in output
    assert "assets/img/workshop-votes.png: voting image, not imported" in output
    assert "ends 15 minutes after its start" in output
    assert "We gratefully acknowledge the support from our Sponsors. -> not imported" in output
    assert "photo assets/img/speaker-bo-li-square.png (people/bo-li): missing" in output
    assert "schedule items: 19" in output and "speakers: 7" in output
    assert "Reading sections" in output  # the progress display
    with empty_app.app_context():
        (announcement,) = db.session.scalars(select(Announcement)).all()
        assert "[Vote Best Oral](https://bit.ly/bugs-orals)" in announcement.text_md
        assert announcement.ends_dt.isoformat() == "2023-12-16T06:00:00+00:00"


def test_mojibake_page_is_repaired(empty_app):
    output = run_import(empty_app, FIXTURES / SEEDS["synthetic-2024"][0]).output
    assert "Repaired 7 lines" in output
    assert "PDT/GMT-07:00, Vancouver" in output and "PST/GMT-08:00" in output  # label warning
    with empty_app.app_context():
        assert db.session.scalar(select(Person.name).where(Person.key == "florian-tramer")) == (
            "Florian Tramèr"
        )
        workshop = db.session.scalar(select(Workshop))
        assert (workshop.slug, workshop.timezone) == (
            "ai-in-the-synthetic-age-2024",
            "America/Vancouver",
        )


def test_import_with_warnings_is_a_draft(empty_app):
    """The 2024 seed's label says PDT for a December day: a warning, so a draft until --publish."""
    page, slug = FIXTURES / SEEDS["synthetic-2024"][0], "synthetic-2024"
    output = run_import(empty_app, page, "--slug", slug).output
    assert "Warnings:" in output and "PDT/GMT-07:00" in output
    assert "Stored as a draft: the import has" in output
    assert f"open /{slug}/ to preview it" in output and "--publish" in output
    assert f"Stored /{slug}/ (a draft)." in output
    client = empty_app.test_client()
    assert client.get(f"/{slug}/schedule").status_code == 404
    with empty_app.app_context():
        make_user("admin@example.org", admin=True)
    assert login(client, "admin@example.org").status_code == 303
    assert client.get(f"/{slug}/schedule").status_code == 200  # the preview
    run_import(empty_app, page, "--slug", slug)  # again: still a draft
    assert empty_app.test_client().get(f"/{slug}/").status_code == 404
    output = run_import(empty_app, page, "--slug", slug, "--publish").output
    assert f"Stored /{slug}/ (published)." in output and "Stored as a draft" not in output
    assert empty_app.test_client().get(f"/{slug}/schedule").status_code == 200
    # A page without warnings is published at once.
    output = run_import(empty_app, DAY_PAGE, "--slug", "bugs-2023").output
    assert "Warnings:" not in output and "Stored /bugs-2023/ (published)." in output


def test_dry_run_stores_nothing(empty_app):
    output = run_import(empty_app, DAY_PAGE, "--dry-run").output
    assert "Dry run: nothing was stored." in output
    assert row_counts(empty_app)["workshop"] == 0


def test_assets_dry_run_reports_found_and_missing_files(empty_app, tmp_path):
    img = tmp_path / "assets" / "img"
    img.mkdir(parents=True)
    (img / "speaker-bo-li-square.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "sponsor-troj-ai.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    output = run_import(empty_app, DAY_PAGE, "--assets", str(tmp_path), "--dry-run").output
    assert f"(people/bo-li): found at {img / 'speaker-bo-li-square.png'}" in output
    assert f"(sponsors/0): found at {tmp_path / 'sponsor-troj-ai.png'}" in output
    assert f"(people/ruoxi-jia): missing: no file for it under {tmp_path}" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Mars/Olympus"], "--timezone 'Mars/Olympus' is not an IANA time zone"),
        (["--date", "2023-02-30"], "Invalid value for '--date'"),
        (["--slug", "Bugs 2023"], "--slug 'Bugs 2023': use lowercase letters"),
        (["--slug", "static"], "--slug 'static': use lowercase letters"),
    ],
)
def test_bad_options_are_clear_errors(empty_app, args, message):
    result = empty_app.test_cli_runner().invoke(args=["import", "jekyll", str(DAY_PAGE), *args])
    assert result.exit_code != 0
    assert message in result.output


def test_people_keys_are_shared_across_editions(empty_app):
    for slug in SEEDS:
        import_seed(empty_app, slug)
    with empty_app.app_context():
        workshops = db.session.scalar(
            select(func.count(func.distinct(Role.workshop_id)))
            .join(Person)
            .where(Person.key == "bo-li")
        )
        assert workshops == 2
        assert (
            db.session.execute(text("SELECT count(*) FROM person WHERE key = 'bo-li'")).scalar()
            == 1
        )


def test_found_images_are_stored_by_the_image_pipeline(empty_app, tmp_path):
    """With the real pipeline: photos and logos stored once, a broken file refused and
    reported, and importing again creates no new image."""
    from PIL import Image as Picture

    img = tmp_path / "assets" / "img"
    img.mkdir(parents=True)
    Picture.new("RGB", (300, 200), "red").save(img / "speaker-bo-li-square.png")
    Picture.new("RGB", (400, 100), "blue").save(img / "sponsor-troj-ai.png")
    (img / "speaker-ruoxi-jia-square.png").write_bytes(b"not an image")
    args = ["--slug", "bugs-2023", "--assets", str(tmp_path)]
    output = run_import(empty_app, DAY_PAGE, *args).output
    assert "(people/bo-li): stored" in output and "(sponsors/0): stored" in output
    assert "(people/ruoxi-jia): refused by the image pipeline" in output
    before = row_counts(empty_app)
    run_import(empty_app, DAY_PAGE, *args)
    assert row_counts(empty_app) == before and before["image"] == 2
    run_import(empty_app, DAY_PAGE, "--slug", "bugs-2023")  # without --assets: photos stay
    assert row_counts(empty_app) == before
    with empty_app.app_context():
        bo = db.session.scalar(select(Person).where(Person.key == "bo-li"))
        assert bo.photo is not None and bo.photo.kind == "photo"
    speakers = empty_app.test_client().get("/bugs-2023/speakers").get_data(as_text=True)
    assert speakers.count('class="avatar"') >= 1 and "srcset=" in speakers
