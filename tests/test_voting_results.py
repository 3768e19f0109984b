"""Results: exact tallies with ties, CSV, the SVG chart, publishing, winners, QR posters."""

import re

import pytest
import qrcode
from flask import render_template
from voting_helpers import DURING, category, orals, workshop

from wsapp.extensions import db
from wsapp.services.voting import admin as voting_admin
from wsapp.services.voting import ballots, qr, results
from wsapp.services.voting import votes as voting


def cast(votes: list[int]) -> None:
    """One new ballot per entry, voting for orals()[index] in best oral."""
    ws, cat, papers = workshop(), category(), orals()
    for n, index in enumerate(votes):
        ballot = ballots.open_ballot(ws, f"token-{n:04d}-" + "x" * 20)
        voting.cast_vote(ballot, cat, papers[index].id, DURING)
    db.session.commit()


def test_tally_is_exact_with_tied_ranks(app):
    with app.app_context():
        cast([0, 0, 0, 1, 1, 1, 2, 3, 3])
        tally = results.tally(category())
        papers = orals()
        got = [(row.paper.id, row.votes, row.rank, row.tied) for row in tally.rows]
        assert got == [
            (papers[0].id, 3, 1, True),
            (papers[1].id, 3, 1, True),
            (papers[3].id, 2, 3, False),
            (papers[2].id, 1, 4, False),
            (papers[4].id, 0, 5, False),
        ]
        assert tally.total == 9
        assert [row.paper.id for row in tally.winners] == [papers[0].id, papers[1].id]


def test_tally_counts_each_ballot_once_after_changes(app):
    with app.app_context():
        ws, cat, papers = workshop(), category(), orals()
        for n in range(30):
            ballot = ballots.open_ballot(ws, f"changer-{n:03d}-" + "y" * 20)
            for index in (n % 5, (n + 1) % 5, (n + 2) % 5):  # the last choice counts
                voting.cast_vote(ballot, cat, papers[index].id, DURING)
        db.session.commit()
        tally = results.tally(cat)
        assert tally.total == 30
        assert {row.paper.id: row.votes for row in tally.rows} == {p.id: 6 for p in papers}
        assert all(row.rank == 1 and row.tied for row in tally.rows)


def test_no_votes_no_winner(app):
    with app.app_context():
        tally = results.tally(category())
        assert tally.total == 0 and tally.winners == []
        assert results.tally(category("best-poster")).rows == []


def test_results_csv(app):
    with app.app_context():
        cast([4, 4, 2])
        text = results.results_csv(results.tallies(workshop()))
    lines = text.splitlines()
    assert lines[0] == "category,rank,votes,tied,title,authors"
    assert lines[1].startswith("Best oral,1,2,no,BadChain")
    assert lines[2].startswith("Best oral,2,1,no,")
    assert len(lines) == 6  # five orals, no poster candidates


def test_chart_partial_is_accessible_svg_with_a_table(app):
    with app.app_context(), app.test_request_context():
        cast([0, 0, 1])
        html = render_template("voting/_chart.html", tally=results.tally(category()))
    assert re.search(r'<svg class="bar-chart"[^>]*role="img"[^>]*aria-labelledby=', html)
    assert "<title id=" in html and "<desc id=" in html and "<table" in html
    widths = re.findall(r'width="([\d.]+)"', html)
    assert widths[:3] == ["400.00", "200.00", "0.00"]
    assert "style=" not in html


def test_results_are_public_only_once_published(app, client):
    assert client.get("/bugs-2023/vote/results").status_code == 404
    assert "not been published yet" in client.get("/bugs-2023/vote/results").text
    assert 'id="awards"' not in client.get("/bugs-2023/").text
    with app.app_context():
        cast([3, 3, 1])
        voting_admin.publish_results(category())
        db.session.commit()
        winner = orals()[3]
    page = client.get("/bugs-2023/vote/results")
    assert page.status_code == 200
    assert re.search(rf"Winner:\s*<strong>{re.escape(winner.title)}</strong>", page.text)
    assert "<svg" in page.text
    home = client.get("/bugs-2023/")
    assert 'id="awards"' in home.text and winner.title in home.text
    assert "Best oral" in home.text and "Best poster" not in home.text  # unpublished: hidden


def test_tied_winners_are_all_shown(app, client):
    with app.app_context():
        cast([1, 2])
        voting_admin.publish_results(category())
        db.session.commit()
        first, second = orals()[1], orals()[2]
    home = client.get("/bugs-2023/").text
    assert "Best oral</span> (tie)" in home
    assert first.title in home and second.title in home


def test_home_page_query_count_with_published_results(app, client, count_queries):
    with app.app_context():
        cast([0])
        voting_admin.publish_results(category())
        db.session.commit()
    with count_queries() as counter:
        assert client.get("/bugs-2023/").status_code == 200
    # 13: the page's records, the tallies, and whether the navigation links the papers page
    assert counter.count <= 13, "\n".join(s[:150] for s in counter.statements)


def _matrix_from_svg(svg: str) -> list[list[bool]]:
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    grid = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", svg):
        for dx in range(int(width)):
            grid[int(y)][int(x) + dx] = True
    return grid


@pytest.mark.parametrize("data", ["https://wsapp.test/bugs-2023/vote", "x" * 200])
def test_qr_svg_draws_exactly_the_qr_matrix_with_a_quiet_zone(data):
    svg = str(qr.svg(data, "label"))
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=qr.QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    assert _matrix_from_svg(svg) == code.get_matrix()
    assert svg.startswith('<svg class="qr"') and 'fill="#fff"' in svg and 'role="img"' in svg


def test_poster_page(client):
    page = client.get("/bugs-2023/vote/best-oral/poster")
    assert page.status_code == 200
    assert "Vote for best oral!" in page.text
    assert "http://wsapp.test/bugs-2023/vote" in page.text
    assert page.text.count("<svg") == 1 and 'class="qr qr-poster-code"' in page.text
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>") + 6]
    assert _matrix_from_svg(svg) == _expected("http://wsapp.test/bugs-2023/vote")


def _expected(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=qr.QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()
