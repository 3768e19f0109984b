"""The site the quality gates check, and the pages they check, found from the app's URL map.

`QualitySite` serves the demo on a committed SQLite file in a thread, set to the BUGS workshop
day (now/next shown, voting open), with photos for everyone, logos for the sponsors, ballot
codes, votes and published results, both editions in one series, a pending invitation whose
mail failed, a password reset and an address change waiting: every page shows its full state.

`pages(app)` instantiates every GET rule of every blueprint for both demo workshops (the
organizer area for one); a rule with an argument nobody provides fails loudly, so a new page is
checked or the gate says why not. Only HTML answers are pages (exports, sitemap, media are not).
"""

import datetime as dt
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from wsapp import create_app
from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.models import (
    Institution,
    MailKind,
    MailStatus,
    NewsPost,
    OutgoingMail,
    Paper,
    Person,
    Presentation,
    Role,
    ScheduleItem,
    Series,
    Sponsor,
    TokenPurpose,
    User,
    VotingMode,
    Workshop,
)  # fmt: skip
from wsapp.models.media import ImageKind
from wsapp.services import account_tokens, accounts, documents, images
from wsapp.services.content.demo import load_demo
from wsapp.services.voting import admin as voting_admin
from wsapp.services.voting import ballots
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import votes as voting

WORKSHOPS = ["bugs-2023", "synthetic-2024"]
ORGANIZER_WORKSHOP = "bugs-2023"
DURING = dt.datetime(2023, 12, 15, 20, 0, tzinfo=dt.UTC)  # 14:00 in New Orleans: voting is open
ADMIN = "gatekeeper@example.org"
NOT_PAGES = {"static", "media", "exports", "ops"}  # blueprints that answer files, not pages


@dataclass(frozen=True)
class Page:
    name: str  # "schedule.index bugs-2023": the endpoint and what it was built for
    url: str  # path and query
    organizer: bool  # needs an organizer's session


class QualitySite:
    def __init__(self, folder: Path):
        from conftest import LiveServer

        self.app = create_app({
            "TESTING": True, "SECRET_KEY": "quality-gates",
            "DATABASE_URL": f"sqlite:///{folder / 'site.db'}", "MEDIA_DIR": str(folder / "media"),
            "NOW": DURING.isoformat(),
            "LOGIN_LIMIT_PER_IP": "1000 per minute", "LOGIN_LIMIT_PER_EMAIL": "1000 per minute",
            # mail configured (nothing listens there: GET pages send nothing), so the pages
            # show their forms and the status of mail
            "MAIL_URL": "smtp://127.0.0.1:9/", "MAIL_FROM": "Gates <gates@example.org>",
        })  # fmt: skip
        with self.app.app_context():
            db.create_all()
            load_demo()
            self.state = _prepare(self.app)
            db.session.commit()
            db.session.remove()
        self.server = LiveServer(self.app)
        self.url = self.server.url

    def stop(self) -> None:
        from conftest import dispose

        self.server.stop()
        dispose(self.app)


def _prepare(app) -> dict:
    """Photos, logos, votes and results, a ballot code and an invitation."""
    from accounts import make_user

    bugs = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
    photos = {}  # one photo per person, shown by each of their roles
    for role in db.session.scalars(select(Role).order_by(Role.person_id, Role.id)):
        if role.person_id not in photos:
            photos[role.person_id] = images.store(
                images.process(_photo(len(photos)), ImageKind.PHOTO)
            )
        role.photo = role.person.photo = photos[role.person_id]
    for model in (Sponsor, Institution):
        for number, entry in enumerate(db.session.scalars(select(model))):
            entry.logo = images.store(images.process(_logo(number), ImageKind.LOGO))
    best_oral = voting.category(bugs, "best-oral")
    orals = voting.candidates(best_oral)
    for number in range(5):
        ballot = ballots.open_ballot(bugs, secrets.token_urlsafe(16))
        voting.cast_vote(ballot, best_oral, orals[number % 2].id, DURING)
    voting_admin.publish_results(best_oral)
    _papers(bugs)
    # both editions in one series: every page shows the editions links, the archive groups them
    series = Series(slug="trust", name="Trustworthy data workshops", short_name="TRUST")
    for workshop in db.session.scalars(select(Workshop)):
        workshop.series = series
    voting_admin.set_mode(bugs, VotingMode.CODES)
    code = ballot_codes.generate_codes(bugs, 1)[0].code
    admin_id = make_user(ADMIN, admin=True)
    inviter = db.session.get(User, admin_id)
    invitation, token = accounts.invite("new.organizer@example.org", bugs, inviter, 7)
    organizer = db.session.get(User, make_user("chair@example.org", workshops=["bugs-2023"]))
    hour = dt.timedelta(hours=1)
    _reset, reset = account_tokens.issue(organizer, TokenPurpose.PASSWORD_RESET, hour)
    _change, change = account_tokens.issue(
        inviter, TokenPurpose.EMAIL_CHANGE, hour, email="gate@example.net"
    )
    # what became of mail: a failed invitation (the access page shows why), a sent reset
    db.session.add_all([
        OutgoingMail(kind=MailKind.INVITATION, recipient=invitation.email, subject="Invitation",
                     status=MailStatus.FAILED, error="550 5.1.1 mailbox unavailable",
                     attempts=1, invitation_id=invitation.id),
        OutgoingMail(kind=MailKind.PASSWORD_RESET, recipient=organizer.email, subject="Reset",
                     status=MailStatus.SENT, attempts=1, user_id=organizer.id),
    ])  # fmt: skip
    tokens = {
        "auth.invitation": token,
        "account_password.reset": reset,
        "account.confirm_email": change,
    }
    return {"code": code, "tokens": tokens}


def _papers(bugs: Workshop) -> None:
    """A hosted PDF, slides and a poster at its board: the papers pages in full."""
    from pdffiles import paper_pdf

    first = db.session.scalar(
        select(Paper).where(Paper.workshop_id == bugs.id).order_by(Paper.id).limit(1)
    )
    first.pdf = documents.store(documents.check(paper_pdf(first.title, pages=3)))
    first.slides_url, first.abstract_md = "https://example.org/slides", "An *abstract*."
    poster = Paper(workshop_id=bugs.id, title="A poster", authors="Ann Lee, Bo Ng", sort_order=9,
                   presentation=Presentation.POSTER, poster_session=1, board="7")  # fmt: skip
    poster.poster_pdf = documents.store(documents.check(paper_pdf("A poster")))
    db.session.add(poster)


def _photo(seed: int) -> bytes:
    from imagefiles import upright_picture

    out = io.BytesIO()
    upright_picture(1200 + seed, 1200, grain=300).save(out, "JPEG", quality=88)
    return out.getvalue()


def _logo(seed: int) -> bytes:
    from imagefiles import logo_png

    return logo_png(800 + seed, 300)


def _values(app, rule, slug: str, state: dict) -> list[dict] | None:
    """Every set of values for the rule's arguments (beyond the slug); None if it has no page."""
    workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
    options: dict[str, list] = {}
    for name in sorted(rule.arguments - set(rule.defaults or {}) - {"slug"}):
        if name == "post":
            options[name] = list(db.session.scalars(
                select(NewsPost.slug).where(NewsPost.workshop_id == workshop.id)))  # fmt: skip
        elif name == "category":
            options[name] = [c.slug for c in voting.categories(workshop)]
        elif name == "item_id" and rule.defaults and "kind" in rule.defaults:
            items = KINDS[rule.defaults["kind"]].items(workshop)
            options[name] = [items[0].id] if items else []
        elif name == "item_id":
            options[name] = list(
                db.session.scalars(
                    select(ScheduleItem.id).where(ScheduleItem.workshop_id == workshop.id).limit(1)
                )
            )
        elif name == "paper_id":
            options[name] = list(
                db.session.scalars(
                    select(Paper.id).where(Paper.workshop_id == workshop.id).order_by(Paper.id)
                )
            )[:1]
        elif name == "token":
            options[name] = [state["tokens"][rule.endpoint]]
        elif name == "series_id":  # the site admins' page of a series
            options[name] = list(db.session.scalars(select(Series.id).order_by(Series.id).limit(1)))
        elif name == "person_id":  # the site admins' page of a shared person
            options[name] = list(db.session.scalars(select(Person.id).order_by(Person.id).limit(1)))
        else:
            raise AssertionError(f"{rule.rule}: no values for <{name}>; teach tests/quality.py")
    combos = [{}]
    for name, values in options.items():
        combos = [{**combo, name: value} for combo in combos for value in values]
    return combos if all(options.values()) else None


def pages(site: QualitySite) -> list[Page]:
    """Every GET page of the URL map, built for the demo workshops."""
    app, found = site.app, []
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
            blueprint = rule.endpoint.split(".")[0]
            if "GET" not in rule.methods or blueprint in NOT_PAGES:
                continue
            organizer = blueprint.startswith("manage") or blueprint == "account"
            slugs = [None] if "slug" not in rule.arguments else (
                [ORGANIZER_WORKSHOP] if organizer else WORKSHOPS)  # fmt: skip
            for slug in slugs:
                for values in _values(app, rule, slug or ORGANIZER_WORKSHOP, site.state) or []:
                    if slug:
                        values["slug"] = slug
                    url = adapter.build(rule.endpoint, {**(rule.defaults or {}), **values})
                    kind = (rule.defaults or {}).get("kind", "")
                    name = " ".join(filter(None, [rule.endpoint, kind, slug]))
                    found.append(Page(name, url, organizer))
    # the ballot with its vote buttons, as a card's QR code opens it
    code = site.state["code"]
    found.append(Page("voting.index with a code", f"/bugs-2023/vote?code={code}", False))
    return found


def with_lang(url: str, code: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={code}"


def login(client) -> None:
    from accounts import login as log_in

    response = log_in(client, ADMIN)
    assert response.status_code == 303, response.text


def mail_bodies(site: QualitySite) -> list[tuple[str, str]]:
    """The HTML part of every kind of mail in every language: [(name, html)]. Composed and
    dropped (rolled back), never sent."""
    from wsapp.i18n import LANGUAGES
    from wsapp.services.mail import messages, outbox

    found = []
    with site.app.test_request_context():
        admin = db.session.scalar(select(User).where(User.email == ADMIN))
        bugs = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        for lang in LANGUAGES:
            admin.locale = lang.locale
            invitation, _token = accounts.invite("new@example.org", bugs, admin, 7, lang.locale)
            messages.invitation(invitation, "https://example.org/invite/x", 7)
            messages.password_reset(admin, "https://example.org/password/reset/x", 60, None)
            messages.email_change(admin, "new@example.org", "https://example.org/e/x", 24)
            messages.password_changed(admin)
            messages.email_changed(admin, "old@example.org")
        for job in db.session.info.pop(outbox.PENDING):
            name = f"mail {job.message['Subject']} ({job.message['Content-Language']})"
            found.append((name, job.message.get_body(("html",)).get_content()))
        db.session.rollback()
    return found
