"""A ballot fragment from parts kept per process: each candidate rendered once, and the frame of
a recorded vote's fragment once per category and paper voted for.

A candidate looks the same on every voter's ballot; only their order, which one is chosen and the
CSRF token differ. So a vote's answer is its frame with this voter's token and this ballot's order
of candidates filled in. The vote endpoint keeps the parts as it renders; the express path
(voting_express.py) answers from them alone, the same bytes without rendering anything.

Every part is kept by what it shows: the workshop's content version, the language, the display
zone and the script root, then the category, the paper and the candidate's state.
"""

import secrets
from dataclasses import dataclass

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from wsapp.services.voting import votes

ITEMS = "wsapp_ballot_items"  # app.extensions: rendered candidates, by what they show
FRAMES = "wsapp_ballot_frames"  # app.extensions: frames of a recorded vote's fragment
MAX_ITEMS = 4096
MAX_FRAMES = 4096
# Stand-ins rendered where the token and the candidates go; random, so no workshop text has them.
TOKEN_MARK = Markup(f"\x00token-{secrets.token_hex(8)}\x00")
ITEM_MARK = Markup(f"\x00candidate-{secrets.token_hex(8)}\x00")


def shared_key(workshop_id: int, version: int, locale: str, zone: str, script_root: str):
    """What every part of one response shares (the express path builds the same tuple)."""
    return (workshop_id, version, locale, zone, script_root)


def item_key(shared: tuple, cat_id: int, paper_id: int, chosen: bool, voting_now: bool):
    return (*shared, cat_id, paper_id, chosen, voting_now)


def frame_key(shared: tuple, cat_id: int, paper_id: int):
    return (*shared, cat_id, paper_id)


class CandidateItems:
    """One candidate of a ballot (voting/_candidate.html), rendered once per key and reused.

    Made once per response: what the whole response shares is read once."""

    def __init__(self, workshop, zone: str):
        self.zone = zone
        self.shared = shared_key(
            workshop.id, workshop.content_version, str(get_locale()), zone, request.script_root
        )
        self.items: dict = current_app.extensions.setdefault(ITEMS, {})

    def __call__(self, cat, candidate, voting_now: bool) -> Markup:
        key = item_key(self.shared, cat.id, candidate.paper.id, candidate.chosen, bool(voting_now))
        found = self.items.get(key)
        if found is None:
            found = Markup(
                render_template(
                    "voting/_candidate.html",
                    cat=cat,
                    candidate=candidate,
                    voting_now=voting_now,
                    zone=self.zone,
                )
            )
            if len(self.items) >= MAX_ITEMS:
                self.items.clear()
            self.items[key] = found
        return found


@dataclass(frozen=True)
class Frame:
    """A recorded vote's fragment without its CSRF token and its candidates."""

    head: str  # up to the token
    middle: str  # from the token to the first candidate
    between: str  # between two candidates
    tail: str  # after the last candidate

    def fill(self, token: str, items: list[str]) -> str:
        """The fragment with `token` (escaped, as the template escapes it) and `items`."""
        return "".join((self.head, escape(token), self.middle, self.between.join(items), self.tail))


def learn_frame(shared: tuple, cat_id: int, paper_id: int, count: int, render) -> None:
    """Keep the frame of this vote's fragment, if not kept yet: `render(**overrides)` renders the
    fragment as the response did, with stand-ins for the token and the `count` candidates."""
    frames: dict = current_app.extensions.setdefault(FRAMES, {})
    key = frame_key(shared, cat_id, paper_id)
    if key in frames:
        return
    text = render(csrf_token=lambda: TOKEN_MARK, candidate_item=lambda *args: ITEM_MARK)
    frame = _split(text, count)
    if frame is None:
        return  # a fragment this shape does not fit: votes keep rendering
    if len(frames) >= MAX_FRAMES:
        frames.clear()
    frames[key] = frame


def _split(text: str, count: int) -> Frame | None:
    head, *rest = text.split(TOKEN_MARK)
    if len(rest) != 1 or count < 1:
        return None
    middle, *parts = rest[0].split(ITEM_MARK)
    if len(parts) != count or ITEM_MARK in head:
        return None
    betweens, tail = parts[:-1], parts[-1]
    if len(set(betweens)) > 1:
        return None  # the candidates are not one list with the same text between them
    return Frame(head, middle, betweens[0] if betweens else "", tail)


WORKSHOPS = "wsapp_express_workshops"  # app.extensions: slug -> VotingWorkshop
MAX_WORKSHOPS = 256


@dataclass(frozen=True)
class VotingWorkshop:
    """What the express path knows of a published workshop at one content version."""

    id: int
    slug: str
    version: int
    default_locale: str | None
    venue: str  # its zone as the display zone takes it (UTC when its own is not valid)
    mode: object  # its VotingMode at `version`
    candidates: dict  # category slug -> (category, its candidates by paper id, in programme order)


def remember_workshop(workshop, known, venue: str) -> None:
    """Keep what a vote of this workshop needs, from a vote just recorded and rendered."""
    found: dict = current_app.extensions.setdefault(WORKSHOPS, {})
    kept = found.get(workshop.slug)
    if kept is not None and kept.version == known.version:
        return
    if len(found) >= MAX_WORKSHOPS:
        found.clear()
    candidates = {
        cat.slug: (cat, {p.id: p for p in votes.candidates(cat, known.papers)})
        for cat in known.categories
    }
    found[workshop.slug] = VotingWorkshop(
        workshop.id,
        workshop.slug,
        known.version,
        workshop.default_locale,
        venue,
        known.mode,
        candidates,
    )
