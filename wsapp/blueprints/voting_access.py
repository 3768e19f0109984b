"""Who is voting, for the voting views: the browser's ballot cookie, a code, the rate limits.

This is the request side of services/ballots.py (it reads cookies and the client address, which
services never touch). Messages for every state a voter can meet are here, in one place.

Guessing protection that does not punish a room behind one address (a venue's Wi-Fi): every
browser that opens the ballot gets its own token in the ballot cookie, and wrong codes are
counted per browser (VOTING_CODE_ATTEMPTS_PER_BROWSER), each distinct code once, so retyping
the same typo costs nothing. The limit per address (VOTING_CODE_ATTEMPTS) is far above what a
room of hundreds produces by typos; it stops a guesser who throws away the cookie, and so does
the stricter one for requests that come without any cookie (VOTING_CODE_ATTEMPTS_WITHOUT_COOKIE).
"""

import hashlib
from dataclasses import dataclass

from flask import current_app, g, request
from flask_babel import get_locale
from limits import RateLimitItemPerSecond

from wsapp.i18n import gettext as _
from wsapp.i18n import ngettext
from wsapp.models import AwardCategory, Ballot, BallotCode, VotingMode, Workshop
from wsapp.services import ratelimit
from wsapp.services.voting import ballots
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting.ballots import CodeState
from wsapp.timezones import formats as timefmt
from wsapp.timezones.display import display_zone

COOKIE = "wsapp_ballot"


@dataclass
class Access:
    token: str | None = None  # the browser's token (from its cookie, or new)
    ballot: Ballot | None = None  # the ballot this browser holds
    code: BallotCode | None = None  # a valid code, not yet bound to this browser
    code_text: str = ""  # that code, formatted, for the forms' hidden field
    set_token: str | None = None  # a token to write into the cookie
    problem: str | None = None  # a key of message()
    problem_text: str = ""
    problem_category: AwardCategory | None = None  # the category the problem is about
    notice: str = ""  # a success message
    status: int = 200
    retry_after: int | None = None
    browser_known: bool = False  # the request came with this browser's ballot cookie

    def fail(self, problem: str, status: int, category: AwardCategory | None = None, **kw):
        self.problem, self.status, self.problem_category = problem, status, category
        self.problem_text = message(problem, category=category, **kw)


def message(key: str, category: AwardCategory | None = None, **kw) -> str:
    """The text a voter reads for each state."""
    if key == "not_yet" and category is not None and category.opens_dt is not None:
        zone = display_zone().name
        when = timefmt.format_deadline(category.opens_dt, None, zone, str(get_locale()))
        return _("Voting opens at %(when)s.", when=when)
    texts = {  # built lazily: only the one asked for is translated
        "not_yet": lambda: _("Voting has not opened yet."),
        "unscheduled": lambda: _("Voting has not opened yet."),
        "closed": lambda: _("Voting is closed."),
        "invalid": lambda: _(
            "That is not a valid ballot code. Check the code on your card: ten letters "
            "and digits, such as 7K3QD-P2X9M."
        ),
        "used": lambda: _(
            "This code has already been used to vote on another device. Each code is one "
            "ballot: keep voting on the device where you first used it."
        ),
        "too_many": lambda: ngettext(
            "Too many attempts from your network. Please wait %(num)d minute and try again.",
            "Too many attempts from your network. Please wait %(num)d minutes and try again.",
            int(kw.get("minutes", 1)),
        ),
        "too_many_here": lambda: ngettext(
            "Too many wrong codes from this browser. Check the code on your card and try again "
            "in %(num)d minute; if it still fails, ask an organizer for a new card.",
            "Too many wrong codes from this browser. Check the code on your card and try again "
            "in %(num)d minutes; if it still fails, ask an organizer for a new card.",
            int(kw.get("minutes", 1)),
        ),
        "need_code": lambda: _("Enter the code from your ballot card to vote."),
        "no_choice": lambda: _("Choose one of the candidates."),
        "not_candidate": lambda: _("That paper is not a candidate in this category."),
        "recorded": lambda: _(
            "Your vote for “%(title)s” is recorded. You can change it until voting closes.",
            title=kw.get("title", ""),
        ),
    }
    return texts[key]()


def _limit(setting: str) -> ratelimit.Limit:
    return ratelimit.Limit.parse(setting.lower(), current_app.config[setting])


def _client_key(workshop: Workshop) -> str:
    return f"{workshop.id}:{request.remote_addr}"


def _too_many(access: Access, outcome: ratelimit.Outcome, problem: str = "too_many") -> None:
    access.retry_after = outcome.retry_after
    access.fail(problem, 429, minutes=max(1, -(-outcome.retry_after // 60)))


def _code_limits(workshop: Workshop, access: Access) -> list[tuple[ratelimit.Limit, str, str]]:
    """(limit, key, problem) that count this request's wrong codes: its browser's, else the
    cookieless requests' of its address; and its address's."""
    if access.browser_known:
        own = (_limit("VOTING_CODE_ATTEMPTS_PER_BROWSER"), f"{workshop.id}:{access.token}")
    else:
        own = (_limit("VOTING_CODE_ATTEMPTS_WITHOUT_COOKIE"), _client_key(workshop))
    return [
        (*own, "too_many_here"),
        (_limit("VOTING_CODE_ATTEMPTS"), _client_key(workshop), "too_many"),
    ]


def load_workshop(slug: str) -> Workshop | None:
    """The voting pages' workshop, with this browser's ballot from the same query (for
    `resolve`): a vote's first round trip to the database."""
    token = ballots.unsign_token(request.cookies.get(COOKIE))
    workshop, ballot = ballots.workshop_and_ballot(slug, token)
    g.voting_ballot = (token, ballot)
    return workshop


def resolve(workshop: Workshop, mode: VotingMode, raw_code: str | None) -> Access:
    """The browser's ballot, and the code it presents (checked, rate-limited) in codes mode."""
    if "voting_ballot" in g:
        token, ballot = g.voting_ballot
    else:
        token = ballots.unsign_token(request.cookies.get(COOKIE))
        ballot = ballots.ballot_for_token(workshop, token)
    access = Access(token=token)
    access.browser_known = access.token is not None
    if access.token is None:  # this browser's own token, for its ballot and its wrong codes
        access.token = access.set_token = ballots.new_token()
    if mode == VotingMode.OPEN:
        access.ballot = ballot
        return access
    if ballot is not None and ballot.code_id is not None:
        access.ballot = ballot
    if raw_code:
        _check_code(workshop, raw_code, access)
    return access


def _check_code(workshop: Workshop, raw_code: str, access: Access) -> None:
    limits = _code_limits(workshop, access)
    for limit, key, problem in limits:
        outcome = ratelimit.peek(limit, key)
        if not outcome.allowed:
            _too_many(access, outcome, problem)
            return
    normalized = ballot_codes.normalize(raw_code)
    code = ballot_codes.find_code(workshop, normalized) if normalized else None
    if code is None:
        _count_wrong_code(limits, normalized or raw_code.strip().upper()[:40])
        access.fail("invalid", 422)
        return
    state = ballots.code_state(code, access.token)
    if state == CodeState.USED:
        access.fail("used", 409)
    elif state == CodeState.FREE:
        access.ballot, access.code = None, code
        access.code_text = ballot_codes.fmt(normalized)


def _count_wrong_code(limits, typed: str) -> None:
    """Count a wrong code against each limit, once per distinct code and key within the
    window: a guesser tries many codes, a person retyping one typo is not guessing."""
    for limit, key, _problem in limits:
        seen = ratelimit.Limit(f"{limit.name}:seen", RateLimitItemPerSecond(1, limit.window))
        if ratelimit.hit(seen, f"{key}:{hashlib.sha256(typed.encode()).hexdigest()[:16]}").allowed:
            ratelimit.hit(limit, key)


def open_ballot_allowed(workshop: Workshop, access: Access) -> bool:
    """Count a new open-mode ballot against the client's address; False (and 429) past it."""
    outcome = ratelimit.hit(_limit("VOTING_OPEN_BALLOTS"), _client_key(workshop))
    if not outcome.allowed:
        _too_many(access, outcome)
    return outcome.allowed
