"""The ballot pages: codes, exact window boundaries, htmx and plain votes, CSRF, clear states."""

import pytest
from voting_helpers import (
    CLOSES,
    DURING,
    OPENS,
    TICK,
    alert,
    category,
    csrf,
    issue_codes,
    orals,
    set_clock,
    vote_count,
)

from wsapp.extensions import db
from wsapp.models import Ballot, Paper, Vote

HX = {"HX-Request": "true"}


@pytest.fixture
def voter(app, client):
    """A client that opened its ballot with a fresh code; returns (client, code, csrf token)."""
    set_clock(app, DURING)
    code = issue_codes(app, 1)[0]
    page = client.get(f"/bugs-2023/vote?code={code}")
    assert page.status_code == 200
    return client, code, csrf(page.text)


def paper_ids(app) -> list[int]:
    with app.app_context():
        return [p.id for p in orals()]


def test_without_a_code_the_page_asks_for_one_and_lists_candidates_read_only(app, client):
    set_clock(app, DURING)
    page = client.get("/bugs-2023/vote")
    assert page.status_code == 200
    assert 'name="code"' in page.text and "Open my ballot" in page.text
    assert "Effective Backdoor Mitigation" in page.text
    assert "vote-button" not in page.text
    assert "No candidates yet." in page.text  # best poster: the seed lists no posters
    assert page.headers["Cache-Control"] == "no-store"


def test_typed_code_is_normalized_and_opens_the_ballot(app, client):
    set_clock(app, DURING)
    code = issue_codes(app, 1)[0]
    typed = " " + code.lower().replace("-", " ").replace("0", "o").replace("1", "l") + " "
    page = client.get("/bugs-2023/vote", query_string={"code": typed})
    assert page.status_code == 200, alert(page.text)
    assert page.text.count('class="button vote-button') == 5
    assert f'name="code" type="hidden" value="{code}"' in page.text


def test_htmx_vote_swaps_the_ballot_and_marks_the_choice(app, voter):
    client, code, token = voter
    first, second = paper_ids(app)[:2]
    response = client.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": token, "paper": first, "code": code},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<section class="ballot" id="ballot-best-oral"')
    assert "<html" not in html
    assert f'value="{first}"\n' in html or f'value="{first}"' in html
    chosen = html.split(f'value="{first}"', 1)[1].split("</button>", 1)[0]
    assert 'aria-pressed="true"' in chosen and "Your vote" in chosen
    assert html.count('aria-pressed="true"') == 1
    # the ballot cookie (this browser's own token, set when the ballot page opened) holds it
    assert client.get_cookie("wsapp_ballot", domain="wsapp.test", path="/bugs-2023/vote")
    # Change the vote: the cookie now identifies the ballot, no code needed.
    changed = client.post(
        "/bugs-2023/vote/best-oral", data={"csrf_token": token, "paper": second}, headers=HX
    )
    assert changed.status_code == 200
    assert changed.text.split(f'value="{second}"', 1)[1].count('aria-pressed="true"') >= 1
    assert changed.text.count('aria-pressed="true"') == 1
    with app.app_context():
        assert vote_count() == {second: 1}
        assert db.session.query(Vote).count() == 1


def test_plain_form_post_redirects_back_with_the_choice_marked(app, voter):
    client, code, token = voter
    paper = paper_ids(app)[2]
    response = client.post(
        "/bugs-2023/vote/best-oral", data={"csrf_token": token, "paper": paper, "code": code}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/bugs-2023/vote#ballot-best-oral")
    page = client.get("/bugs-2023/vote")
    assert "Your vote: <strong>" in page.text
    assert page.text.count('aria-pressed="true"') == 1


def test_htmx_post_without_csrf_token_is_400_and_records_nothing(app, voter):
    client, code, _ = voter
    response = client.post(
        "/bugs-2023/vote/best-oral", data={"paper": paper_ids(app)[0], "code": code}, headers=HX
    )
    assert response.status_code == 400
    assert "CSRF" in response.text
    with app.app_context():
        assert vote_count() == {}


@pytest.mark.parametrize(
    ("instant", "status", "message"),
    [
        (OPENS - TICK, 409, "Voting opens at December 15th, 2023, 11:00 AM CST."),
        (OPENS, 200, "is recorded"),
        (CLOSES - TICK, 200, "is recorded"),
        (CLOSES, 409, "Voting is closed."),
    ],
    ids=["before-opening", "at-opening", "just-before-closing", "at-closing"],
)
def test_votes_are_refused_outside_the_window_at_the_exact_boundary(
    app, voter, instant, status, message
):
    client, code, token = voter
    set_clock(app, instant)
    paper = paper_ids(app)[0]
    response = client.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": token, "paper": paper, "code": code},
        headers=HX,
    )
    assert response.status_code == status
    assert message in response.text.replace("\u202f", " ")
    with app.app_context():
        assert vote_count() == ({paper: 1} if status == 200 else {})


def test_not_yet_open_page_says_when_it_opens(app, client):
    set_clock(app, OPENS - TICK)
    page = client.get("/bugs-2023/vote")
    assert "Voting opens at December 15th, 2023, 11:00 AM CST." in page.text.replace("\u202f", " ")


def test_used_code_is_refused_on_another_device(app, voter):
    client, code, token = voter
    client.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": token, "paper": paper_ids(app)[0], "code": code},
    )
    other = app.test_client()
    page = other.get(f"/bugs-2023/vote?code={code}")
    assert page.status_code == 409
    assert "already been used" in alert(page.text)
    response = other.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": csrf(page.text), "paper": paper_ids(app)[1], "code": code},
        headers=HX,
    )
    assert response.status_code == 409 and "already been used" in response.text
    with app.app_context():
        assert vote_count() == {paper_ids(app)[0]: 1}


def test_unvoted_code_moves_to_the_browser_that_votes_with_it(app, voter):
    client, code, token = voter
    preview = app.test_client()  # e.g. the camera app's preview browser
    preview_page = preview.get(f"/bugs-2023/vote?code={code}")
    assert preview_page.status_code == 200
    response = client.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": token, "paper": paper_ids(app)[0], "code": code},
        headers=HX,
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.query(Ballot).filter(Ballot.code_id.is_not(None)).count() == 1


@pytest.mark.parametrize("typed", ["AAAAA-AAAAA", "hello", "0000000000", "ZZZZZ-ZZZZZ-ZZ"])
def test_invalid_code_gets_a_clear_message(app, client, typed):
    set_clock(app, DURING)
    page = client.get("/bugs-2023/vote", query_string={"code": typed})
    assert page.status_code == 422
    assert "not a valid ballot code" in alert(page.text)
    assert "vote-button" not in page.text


def test_vote_without_any_code_asks_for_one(app, client):
    set_clock(app, DURING)
    token = csrf(client.get("/bugs-2023/vote").text)
    response = client.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": token, "paper": paper_ids(app)[0]},
        headers=HX,
    )
    assert response.status_code == 409
    assert "Enter the code from your ballot card" in response.text


def test_paper_of_another_kind_or_missing_choice_is_422(app, voter):
    client, code, token = voter
    with app.app_context():
        poster_cat = category("best-poster")
        assert poster_cat is not None
    for data in ({"paper": "99999"}, {"paper": "x"}, {}):
        response = client.post(
            "/bugs-2023/vote/best-oral",
            data={"csrf_token": token, "code": code, **data},
            headers=HX,
        )
        assert response.status_code == 422, data
    with app.app_context():
        assert vote_count() == {}


def test_unknown_category_and_workshop_without_voting_are_404(app, client):
    set_clock(app, DURING)
    token = csrf(client.get("/bugs-2023/vote").text)
    assert client.post("/bugs-2023/vote/nope", data={"csrf_token": token}).status_code == 404
    assert client.get("/synthetic-2024/vote").status_code == 404
    assert client.get("/bugs-2023/vote/nope/poster").status_code == 404


def test_ballot_page_query_count_does_not_grow_with_candidates(app, voter, count_queries):
    client, code, _ = voter
    from test_query_counts import grow_content

    # each measured after one request that loads the workshop's voting snapshot at its version
    assert client.get(f"/bugs-2023/vote?code={code}").status_code == 200
    with count_queries() as before:
        assert client.get(f"/bugs-2023/vote?code={code}").status_code == 200
    with app.app_context():
        grow_content(5)
    client.get(f"/bugs-2023/vote?code={code}")
    with count_queries() as after:
        page = client.get(f"/bugs-2023/vote?code={code}")
    assert page.text.count("vote-button") > 50
    assert after.count == before.count, "\n".join(after.statements)


def test_a_candidate_edited_after_it_was_shown_appears_edited_on_the_next_vote(app, voter):
    """Candidates are rendered once and reused (blueprints/voting.candidate_item): an edit, which
    bumps the workshop's content version, must show at once, in the page and in the fragment."""
    client, code, token = voter
    first = paper_ids(app)[0]
    before = client.post(
        "/bugs-2023/vote/best-oral",
        data={"csrf_token": token, "paper": first, "code": code},
        headers=HX,
    )
    assert before.status_code == 200
    with app.app_context():
        paper = db.session.get(Paper, first)
        old_title = paper.title
        paper.title = "A Retitled Paper"
        db.session.commit()
    assert old_title in before.text
    after = client.post(
        "/bugs-2023/vote/best-oral", data={"csrf_token": token, "paper": first}, headers=HX
    )
    assert after.status_code == 200
    assert "A Retitled Paper" in after.text and old_title not in after.text
    assert "A Retitled Paper" in client.get("/bugs-2023/vote").text


def test_each_zone_and_language_gets_its_own_candidates(app, voter):
    """The reused candidates are kept per display zone and language, not shared across them."""
    client, code, _token = voter

    def candidates(query: str) -> str:
        page = client.get(f"/bugs-2023/vote?code={code}&{query}")
        assert page.status_code == 200
        return page.text.split('class="candidates"', 1)[1].split("</ol>", 1)[0]

    venue, tokyo = candidates("tz=America/Chicago"), candidates("tz=Asia/Tokyo")
    assert "CST" in venue and "JST" not in venue
    assert "JST" in tokyo and "CST" not in tokyo
    french, english = candidates("lang=fr"), candidates("lang=en")
    assert "Présentation" in french and "Voter" in french and "Presented" not in french
    assert "Presented" in english and "Voter" not in english
