"""The organizer's ballot codes (cards, CSV) and live results (htmx polling, CSV)."""

import csv
import io
import re

import pytest
from accounts import csrf_token
from voting_helpers import DURING, category, orals, workshop

from wsapp.extensions import db
from wsapp.services.voting import ballots
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting import votes as voting

BASE = "/manage/bugs-2023/voting"
HX = {"HX-Request": "true"}


@pytest.fixture
def chair(login_as):
    client = login_as("bugs")
    return client, csrf_token(client, BASE + "/")


def test_issue_codes_then_print_cards_and_download_csv(app, chair):
    client, token = chair
    response = client.post(f"{BASE}/codes", data={"csrf_token": token, "count": "3"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{BASE}/?first=1&last=3#codes")
    page = client.get(f"{BASE}/?first=1&last=3").text
    assert "3 codes issued so far." in page and "New codes #1 to #3" in page

    sheet = client.get(f"{BASE}/codes/cards")
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    html = sheet.text
    assert html.count('<li class="ballot-card">') == 3
    # the content security policy allows only the site's stylesheet: nothing inline
    assert "<style" not in html and "style=" not in html and "<script" not in html
    assert re.search(r'rel="stylesheet" href="/static/css/site\.[0-9a-f]{12}\.css"', html)
    assert "style-src 'self'" in sheet.headers["Content-Security-Policy"]
    codes = re.findall(r'class="ballot-card-code">([0-9A-Z-]+)<', html)
    assert len(codes) == 3 and all(ballot_codes.normalize(c) for c in codes)

    download = client.get(f"{BASE}/codes.csv")
    assert download.mimetype == "text/csv"
    assert (
        'attachment; filename="bugs-2023-ballot-codes.csv"'
        == download.headers["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["code"] for r in rows] == codes
    assert rows[0]["url"].endswith(f"/bugs-2023/vote?code={codes[0]}")
    with app.app_context():  # every printed code opens a ballot
        for code in codes:
            assert ballot_codes.find_code(workshop(), ballot_codes.normalize(code)) is not None


def test_a_batch_prints_only_its_own_cards(app, chair):
    client, token = chair
    client.post(f"{BASE}/codes", data={"csrf_token": token, "count": "2"})
    response = client.post(f"{BASE}/codes", data={"csrf_token": token, "count": "4"})
    assert response.headers["Location"].endswith("?first=3&last=6#codes")
    html = client.get(f"{BASE}/codes/cards?first=3&last=6").text
    assert re.findall(r'class="ballot-card-serial">#(\d+)<', html) == ["3", "4", "5", "6"]
    lines = client.get(f"{BASE}/codes.csv?first=3&last=4").text.splitlines()
    assert [line.split(",")[0] for line in lines] == ["serial", "3", "4"]


@pytest.mark.parametrize("count", ["0", "-4", "5001", "many", ""])
def test_bad_code_count_is_refused_inline(app, chair, count):
    client, token = chair
    response = client.post(f"{BASE}/codes", data={"csrf_token": token, "count": count})
    assert response.status_code == 422
    assert re.search(r'id="count-errors"><li>[^<]+</li>', response.text)
    with app.app_context():
        assert ballot_codes.issued_count(workshop()) == 0


def _cast(app, picks: list[int]) -> list:
    with app.app_context():
        ws, cat, papers = workshop(), category(), orals()
        for n, index in enumerate(picks):
            ballot = ballots.open_ballot(ws, f"live-{n:04d}-" + "q" * 20)
            voting.cast_vote(ballot, cat, papers[index].id, DURING)
        db.session.commit()
        return [(p.id, p.title) for p in papers]


def _counts(html: str) -> dict[str, int]:
    """paper title -> votes, from the results table of best oral."""
    section = html[html.index('id="live-best-oral"') : html.index('id="live-best-poster"')]
    return {
        title: int(votes)
        for title, votes in re.findall(
            r'<th scope="row">([^<]+)</th>\s*<td class="votes">(\d+)</td>', section
        )
        if title != "Total"
    }


def test_results_fragment_for_polling_has_exact_counts_and_shows_a_tie(app, chair):
    client = chair[0]
    papers = _cast(app, [0, 1, 1, 0, 3])
    response = client.get(f"{BASE}/results", headers=HX)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    html = response.text
    assert html.lstrip().startswith('<div id="live-results"') and "<html" not in html
    assert 'data-hx-trigger="every 3s"' in html and f'data-hx-get="{BASE}/results"' in html
    counts = _counts(html)
    assert counts[papers[0][1]] == 2 and counts[papers[1][1]] == 2 and counts[papers[3][1]] == 1
    assert counts[papers[2][1]] == 0 and sum(counts.values()) == 5
    assert "Tie for first place:" in html
    # ranks 1, 1, 3, 4, 4: the two leaders tie, and so do the two papers without a vote
    assert re.findall(r'<td>(\d+)(?: <span class="tie">\(tie\)</span>)?</td>', html) == [
        "1",
        "1",
        "3",
        "4",
        "4",
    ]
    assert re.findall(r'<td>(\d+) <span class="tie">', html) == ["1", "1", "4", "4"]
    assert "5 votes" in html and '<svg class="bar-chart"' in html

    _cast(app, [3, 3, 3, 3, 3])  # the same ballots change their votes: no new count
    counts = _counts(client.get(f"{BASE}/results", headers=HX).text)
    assert counts[papers[3][1]] == 5 and sum(counts.values()) == 5


def test_results_page_is_whole_without_htmx(chair):
    client = chair[0]
    for headers in (
        {},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
        {"HX-Request": "true", "HX-Boosted": "true"},
    ):
        response = client.get(f"{BASE}/results", headers=headers)
        assert response.text.lstrip().startswith("<!doctype html>")
        assert 'id="live-results"' in response.text and "Live results" in response.text
        assert "HX-Request" in response.headers["Vary"]
        assert "style=" not in response.text


def test_results_csv(app, chair):
    papers = _cast(app, [4, 4, 2])
    response = chair[0].get(f"{BASE}/results.csv")
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "no-store"
    lines = response.text.splitlines()
    assert lines[0] == "category,rank,votes,tied,title,authors"
    assert lines[1].startswith(f"Best oral,1,2,no,{papers[4][1].split(',')[0]}")


def test_polling_after_logging_out_redirects_the_page(app, chair):
    client, token = chair
    client.post("/logout", data={"csrf_token": token})
    response = client.get(f"{BASE}/results", headers=HX)
    assert response.headers["HX-Redirect"].startswith("/login") and response.text == ""
