"""Attendee voting: the ballot, casting a vote, QR posters and the published results."""

from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _

from wsapp.blueprints.common import workshop_blueprint
from wsapp.blueprints.voting_access import (
    COOKIE,
    Access,
    load_workshop,
    message,
    open_ballot_allowed,
    resolve,
)
from wsapp.blueprints.voting_fragments import CandidateItems, learn_frame, remember_workshop
from wsapp.extensions import db
from wsapp.forms.voting import CodeForm, VoteForm
from wsapp.htmx import is_partial, redirect, render
from wsapp.models import VotingMode, WindowStatus
from wsapp.services.voting import ballots, qr, results
from wsapp.services.voting import votes as voting
from wsapp.services.voting.snapshot import snapshot
from wsapp.timezones.clock import now
from wsapp.timezones.display import display_zone

bp = workshop_blueprint("voting", __name__, load=load_workshop)


@bp.get("/vote")
def index():
    workshop = g.workshop
    cats = _categories_or_404(workshop)
    mode = snapshot(workshop).mode
    access = resolve(workshop, mode, request.args.get("code"))
    return _respond(workshop, cats, mode, access)


@bp.post("/vote/<category>")
def cast(category: str):
    """A vote: the workshop with this browser's ballot (one query), then the upsert, then the
    commit; the rest comes from the workshop's voting snapshot, at its content version."""
    workshop = g.workshop
    cats = _categories_or_404(workshop)
    cat = next((c for c in cats if c.slug == category), None)
    if cat is None:
        abort(404)
    mode = snapshot(workshop).mode
    form = VoteForm()
    access = resolve(workshop, mode, form.code.data)
    instant = now()
    if access.problem is None:
        _check_window(cat, instant, access)
    if access.problem is None and not form.validate():
        access.fail("no_choice", 422)
    paper = _record(workshop, mode, cat, form.paper.data, access, instant)
    if paper is None:
        # A code claimed on the way is released again; the cookie stays (the browser's own).
        db.session.rollback()
        access.problem_category = access.problem_category or cat
        return _respond(workshop, cats, mode, access, focus=cat, at=instant)
    access.notice = message("recorded", title=paper.title)
    if not is_partial():
        db.session.commit()
        return _with_cookie(redirect(url_for(".index", _anchor=f"ballot-{cat.slug}")), access)
    # Rendered before the commit, from what this transaction already loaded (a commit expires
    # every object, and reloading them would double the queries of the busiest endpoint); the
    # ballot's choice in this category is the one just recorded.
    response = _respond(workshop, cats, mode, access, focus=cat, at=instant, recorded=paper)
    db.session.commit()
    return response


@bp.get("/vote/<category>/poster")
def poster(category: str):
    cat = voting.category(g.workshop, category) or abort(404)
    url = url_for(".index", _external=True)
    return render(
        "voting/poster.html",
        workshop=g.workshop,
        category=cat,
        url=url,
        qr=qr.svg(url, label=f"QR code: {url}", css_class="qr qr-poster-code"),
    )


@bp.get("/vote/results", endpoint="results")
def results_page():
    published = results.tallies(g.workshop, published_only=True)
    return render(
        "voting/results.html",
        workshop=g.workshop,
        tallies=published,
        status=200 if published else 404,
    )


def _categories_or_404(workshop) -> list:
    cats = snapshot(workshop).categories
    if not cats:
        abort(404, description=_("This workshop has no voting."))
    return cats


def _check_window(cat, now, access: Access) -> None:
    window = cat.status(now)
    if window != WindowStatus.OPEN:
        access.fail(window.value, 409, category=cat)


def _record(workshop, mode: VotingMode, cat, paper_id: int | None, access: Access, now):
    """Cast the vote; the paper voted for, or None with the problem set on `access`."""
    if access.problem is not None:
        return None
    ballot = _ballot_for_vote(workshop, mode, access)
    if ballot is None:
        return None
    try:
        paper = voting.cast_vote(ballot, cat, paper_id, now, snapshot(workshop).papers)
    except voting.NotCandidate:
        access.fail("not_candidate", 422)
        return None
    except voting.WindowClosed as closed:
        access.fail(closed.window.value, 409, category=cat)
        return None
    # bound to this browser now: the ballot's forms no longer carry the code
    access.ballot, access.code, access.code_text = ballot, None, ""
    return paper


def _ballot_for_vote(workshop, mode: VotingMode, access: Access):
    """The ballot this vote goes on: the browser's, a newly claimed code's, or a new open one."""
    if access.ballot is not None:
        return access.ballot
    if mode == VotingMode.OPEN:
        if not open_ballot_allowed(workshop, access):
            return None
        access.set_token = access.token
        return ballots.open_ballot(workshop, access.token)
    if access.code is None:
        access.fail("need_code", 409)
        return None
    ballot = ballots.claim_code(access.code, access.token)  # bound to this browser's token
    if ballot is None:
        access.fail("used", 409)
        return None
    return ballot


def _respond(workshop, cats, mode, access: Access, focus=None, at=None, recorded=None):
    """The ballots page, or only the focused category's ballot for htmx; `recorded`: the paper
    this request just voted for in `focus`."""
    at = at or now()
    can_vote = mode == VotingMode.OPEN or access.ballot is not None or access.code is not None
    seed = ballots.seed_for(access.ballot, access.code, access.token) if can_vote else None
    known = snapshot(workshop)
    zone = display_zone().name
    # a recorded vote's fragment shows that vote; other votes of the ballot are not loaded
    votes = {focus.id: recorded.id} if recorded is not None else None
    partial = focus is not None and is_partial()
    if partial:
        cats = [focus]  # the fragment is this category's ballot alone
    context = dict(
        workshop=workshop,
        mode=mode,
        access=access,
        can_vote=can_vote,
        sections=voting.sections(
            workshop, cats, seed, access.ballot, at, known.papers, known.times, votes
        ),
        focus=focus,
        zone=zone,
        voting_message=message,
        candidate_item=(items := CandidateItems(workshop, zone)),
        # the code entry shows only to a browser that cannot vote yet
        code_form=None if can_vote else CodeForm(formdata=None, code=request.args.get("code", "")),
    )
    if focus is not None:
        sections = context["sections"]
        context["section"] = next((s for s in sections if s.category.id == focus.id), None)
    response = render(
        "voting/index.html",
        block="ballots",
        fragment="voting/_ballot.html" if focus is not None else None,
        status=access.status,
        **context,
    )
    response.cache_control.no_store = True
    if partial and recorded is not None and not (access.code_text or access.set_token):
        # kept for the next votes: the express path (voting_express.py) answers them from it
        section = context["section"]
        learn_frame(
            items.shared,
            focus.id,
            recorded.id,
            len(section.candidates),
            lambda **parts: render_template("voting/_ballot.html", **{**context, **parts}),
        )
        remember_workshop(workshop, known, display_zone().venue)
    return _with_cookie(response, access)


def _with_cookie(response, access: Access):
    if access.set_token:
        response.set_cookie(
            COOKIE,
            ballots.sign_token(access.set_token),
            max_age=ballots.COOKIE_MAX_AGE,
            path=url_for(".index"),
            httponly=True,
            samesite="Lax",
            secure=request.is_secure or bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    if access.retry_after:
        response.headers["Retry-After"] = str(access.retry_after)
    return response
