"""Voting services: the window, one vote per (ballot, category), code binding, the shuffle."""

import datetime as dt
import hashlib

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from voting_helpers import CLOSES, DURING, OPENS, TICK, category, orals, vote_count, workshop

from wsapp.extensions import db
from wsapp.models import (
    AwardCategory,
    Ballot,
    ManualState,
    Paper,
    Presentation,
    Vote,
    VotingMode,
    WindowStatus,
)
from wsapp.services.content import voting as content_voting
from wsapp.services.content.site import ContentError, dump_site, load_site
from wsapp.services.voting import admin as voting_admin
from wsapp.services.voting import ballots
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import votes as voting
from wsapp.services.voting.ballots import CodeState


def test_window_is_opening_inclusive_closing_exclusive():
    cat = AwardCategory(opens_dt=OPENS, closes_dt=CLOSES, manual_state=ManualState.AUTO)
    assert cat.status(OPENS - TICK) == WindowStatus.NOT_YET
    assert cat.status(OPENS) == WindowStatus.OPEN
    assert cat.status(CLOSES - TICK) == WindowStatus.OPEN
    assert cat.status(CLOSES) == WindowStatus.CLOSED
    cat.closes_dt = None
    assert cat.status(OPENS + dt.timedelta(days=999)) == WindowStatus.OPEN
    cat.opens_dt = None
    assert cat.status(OPENS) == WindowStatus.UNSCHEDULED


def test_manual_state_overrides_the_window():
    cat = AwardCategory(opens_dt=OPENS, closes_dt=CLOSES, manual_state=ManualState.OPEN)
    assert cat.status(CLOSES + TICK) == WindowStatus.OPEN
    cat.manual_state = ManualState.CLOSED
    assert cat.status(DURING) == WindowStatus.CLOSED


def _ballot(ws, token="t" * 32) -> Ballot:
    return ballots.open_ballot(ws, token)


def test_cast_vote_at_the_boundaries(app):
    with app.app_context():
        ws, cat, paper = workshop(), category(), orals()[0]
        ballot = _ballot(ws)
        with pytest.raises(voting.WindowClosed) as refused:
            voting.cast_vote(ballot, cat, paper.id, OPENS - TICK)
        assert refused.value.window == WindowStatus.NOT_YET
        voting.cast_vote(ballot, cat, paper.id, OPENS)
        voting.cast_vote(ballot, cat, paper.id, CLOSES - TICK)
        with pytest.raises(voting.WindowClosed):
            voting.cast_vote(ballot, cat, paper.id, CLOSES)
        assert vote_count() == {paper.id: 1}


def test_changing_a_vote_updates_the_one_row(app):
    with app.app_context():
        ws, cat = workshop(), category()
        ballot = _ballot(ws)
        first, second = orals()[:2]
        voting.cast_vote(ballot, cat, first.id, DURING)
        row_id = db.session.scalar(select(Vote.id))
        voting.cast_vote(ballot, cat, second.id, DURING + TICK)
        voting.cast_vote(ballot, cat, second.id, DURING + 2 * TICK)
        votes = db.session.scalars(select(Vote)).all()
        assert [(v.id, v.paper_id) for v in votes] == [(row_id, second.id)]
        db.session.refresh(votes[0])
        assert votes[0].updated_dt == DURING + 2 * TICK and votes[0].created_dt == DURING


def test_database_refuses_a_second_vote_in_a_category(app):
    with app.app_context():
        ws, cat = workshop(), category()
        ballot = _ballot(ws)
        papers = orals()
        db.session.add(Vote(ballot_id=ballot.id, category_id=cat.id, paper_id=papers[0].id))
        db.session.flush()
        db.session.add(Vote(ballot_id=ballot.id, category_id=cat.id, paper_id=papers[1].id))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_only_candidates_can_be_voted_for(app):
    with app.app_context():
        ws, cat = workshop(), category()
        other = voting.papers(workshop("synthetic-2024"))[0]
        poster = Paper(workshop_id=ws.id, title="A poster", presentation=Presentation.POSTER)
        db.session.add(poster)
        db.session.flush()
        ballot = _ballot(ws)
        for paper_id in (other.id, poster.id, 10**9):
            with pytest.raises(voting.NotCandidate):
                voting.cast_vote(ballot, cat, paper_id, DURING)
        voting.cast_vote(ballot, category("best-poster"), poster.id, CLOSES - TICK)
        assert vote_count("best-poster") == {poster.id: 1}


def test_code_binds_to_the_first_browser_that_votes(app):
    with app.app_context():
        ws = workshop()
        code = ballot_codes.find_code(
            ws, ballot_codes.normalize(ballot_codes.generate_codes(ws, 1)[0].code)
        )
        alice, bob = "a" * 32, "b" * 32
        assert ballots.code_state(code, alice) == CodeState.FREE
        held = ballots.claim_code(code, alice)
        assert ballots.code_state(code, alice) == CodeState.MINE
        assert ballots.code_state(code, bob) == CodeState.FREE  # no vote yet: it may move
        moved = ballots.claim_code(code, bob)
        assert moved.id == held.id and ballots.ballot_for_token(ws, alice) is None
        voting.cast_vote(moved, category(), orals()[0].id, DURING)
        assert ballots.code_state(code, alice) == CodeState.USED
        assert ballots.claim_code(code, alice) is None
        assert ballots.claim_code(code, bob).id == held.id
        assert db.session.scalar(select(func.count(Ballot.id))) == 1


def test_open_ballot_is_one_per_token(app):
    with app.app_context():
        ws = workshop()
        assert _ballot(ws, "x" * 32).id == _ballot(ws, "x" * 32).id != _ballot(ws, "y" * 32).id


def test_signed_token_round_trip_and_tampering(app):
    with app.app_context():
        token = ballots.new_token()
        signed = ballots.sign_token(token)
        assert ballots.unsign_token(signed) == token
        assert ballots.unsign_token(signed[:-2] + "xx") is None
        assert ballots.unsign_token("garbage") is None and ballots.unsign_token(None) is None


def test_shuffle_is_stable_per_ballot_and_varies_between_ballots(app):
    with app.app_context():
        papers, cat = orals(), category()
        once = voting.shuffled(papers, "seed-1", cat.id)
        assert voting.shuffled(papers, "seed-1", cat.id) == once
        orders = {tuple(p.id for p in voting.shuffled(papers, f"s{i}", cat.id)) for i in range(200)}
        assert len(orders) > 60  # 5! = 120 orders possible


def test_shuffle_has_no_position_bias(app):
    """Chi-square over 6,000 ballots: each paper is at each position equally often (p > 0.001)."""
    with app.app_context():
        papers, cat = orals(), category()
        n, k = 6000, len(papers)
        counts = {(p.id, pos): 0 for p in papers for pos in range(k)}
        for i in range(n):
            seed = hashlib.sha256(f"ballot-{i}".encode()).hexdigest()
            for pos, paper in enumerate(voting.shuffled(papers, seed, cat.id)):
                counts[(paper.id, pos)] += 1
        expected = n / k
        chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
        assert chi2 < 52.6  # critical value, (k-1)^2 = 16 degrees of freedom, p = 0.001
        first = [counts[(p.id, 0)] for p in papers]
        assert max(first) - min(first) < 0.2 * expected


def test_ensure_default_categories_is_idempotent(app):
    with app.app_context():
        ws = workshop("synthetic-2024")
        first = voting_admin.ensure_default_categories(ws)
        again = voting_admin.ensure_default_categories(ws)
        assert [c.slug for c in first] == [c.slug for c in again] == ["best-oral", "best-poster"]
        assert [c.presentation for c in again] == [Presentation.ORAL, Presentation.POSTER]
        assert all(c.status(DURING) == WindowStatus.UNSCHEDULED for c in again)


def test_organizer_actions(app):
    with app.app_context():
        ws = workshop("synthetic-2024")
        cat = voting_admin.add_category(ws, "best-student-paper", "Best student paper", None)
        assert cat.sort_order == 0 and len(voting.candidates(cat)) == 5
        with pytest.raises(ValueError, match="exists already"):
            voting_admin.add_category(ws, "best-student-paper", "Again", None)
        with pytest.raises(ValueError, match="close after"):
            voting_admin.set_window(cat, CLOSES, OPENS)
        with pytest.raises(ValueError, match="timezone-aware"):
            voting_admin.set_window(cat, dt.datetime(2024, 1, 1), None)
        voting_admin.set_window(cat, OPENS, CLOSES)
        voting_admin.set_manual_state(cat, ManualState.CLOSED)
        voting_admin.publish_results(cat)
        voting_admin.set_mode(ws, VotingMode.OPEN)
        db.session.commit()
        assert voting.voting_mode(ws) == VotingMode.OPEN
        assert cat.status(DURING) == WindowStatus.CLOSED and cat.results_published


def test_voting_setup_is_content_and_round_trips(app):
    with app.app_context():
        dumped = dump_site()
        bugs = next(w for w in dumped["workshops"] if w["slug"] == "bugs-2023")
        assert bugs["voting"]["mode"] == "codes"
        assert [c["slug"] for c in bugs["voting"]["categories"]] == ["best-oral", "best-poster"]
        assert bugs["voting"]["categories"][0]["opens"] == "2023-12-15T11:00:00-06:00"
        load_site(yaml.safe_load(yaml.safe_dump(dumped)))
        db.session.commit()
        assert dump_site() == dumped


def test_content_load_refuses_to_drop_voted_papers_or_categories(app):
    with app.app_context():
        dumped = dump_site()
        voting.cast_vote(_ballot(workshop()), category(), orals()[0].id, DURING)
        db.session.commit()
        with pytest.raises(ContentError, match="attendees have voted"):
            load_site(dumped)
        db.session.rollback()
        assert vote_count() == {orals()[0].id: 1}
        with pytest.raises(ContentError, match="left out of the file has votes"):
            content_voting.load_voting(workshop(), {"mode": "codes", "categories": []}, "here")
        db.session.rollback()
        assert vote_count() == {orals()[0].id: 1}


@pytest.mark.parametrize("field", ["mode", "presentation", "state"])
def test_bad_voting_content_is_refused(app, field):
    with app.app_context():
        data = dump_site()
        voting_part = data["workshops"][0]["voting"]
        target = voting_part if field == "mode" else voting_part["categories"][0]
        target[field] = "sometimes"
        with pytest.raises(ContentError, match="voting"):
            load_site(data)


def test_missing_voting_section_leaves_voting_alone(app):
    with app.app_context():
        data = dump_site()
        for entry in data["workshops"]:
            entry.pop("voting")
        load_site(data)
        db.session.commit()
        assert [c.slug for c in voting.categories(workshop())] == ["best-oral", "best-poster"]
