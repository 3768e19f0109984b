"""Ballot codes: the alphabet, the check character, typing mistakes, hashing and reprinting."""

import pytest
from sqlalchemy import select
from voting_helpers import workshop

from wsapp.extensions import db
from wsapp.models import BallotCode
from wsapp.services.voting import codes as ballot_codes
from wsapp.services.voting.codes import ALPHABET, check_char, fmt, normalize


def test_every_single_wrong_character_is_caught(app):
    with app.app_context():
        codes = [normalize(ballot_codes.derive(1, serial)) for serial in range(1, 21)]
    for code in codes:
        assert normalize(code) == code
        for position in range(len(code)):
            for char in ALPHABET:
                if char != code[position]:
                    typo = code[:position] + char + code[position + 1 :]
                    assert normalize(typo) is None, (code, typo)


def test_most_swapped_neighbours_are_caught(app):
    with app.app_context():
        codes = [normalize(ballot_codes.derive(2, serial)) for serial in range(1, 201)]
    swaps = caught = 0
    for code in codes:
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swaps += 1
                caught += normalize(code[:i] + code[i + 1] + code[i] + code[i + 2 :]) is None
    assert caught / swaps > 0.95


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7k3qd-p2x9m", "7K3QDP2X9M"),
        (" 7K3QD P2X9M ", "7K3QDP2X9M"),
        ("7K3QDP2X9M", "7K3QDP2X9M"),
        ("7K3QD.P2X9M", "7K3QDP2X9M"),
    ],
)
def test_typing_variants_normalize(typed, expected):
    data = expected[:-1]
    code = data + check_char(data)
    typed = typed[: len(typed.rstrip()) - 1] + code[-1] + typed[len(typed.rstrip()) :]
    assert normalize(typed) == code


def test_confusable_letters_read_as_digits():
    data = "1O0IL2345"  # what a person may type for 100112345
    canonical = "100112345"
    code = canonical + check_char(canonical)
    assert normalize(data + code[-1]) == code
    assert normalize(fmt(code).lower()) == code


@pytest.mark.parametrize(
    "typed", [None, "", "ABCDE", "ABCDE-FGHJK-M", "ABCDE-FGHJ!", "UUUUU-UUUUU"]
)
def test_malformed_codes_are_refused(typed):
    assert normalize(typed) is None


def test_generated_codes_are_unique_stored_as_hmac_and_reprintable(app):
    with app.app_context():
        ws = workshop()
        first = ballot_codes.generate_codes(ws, 50)
        second = ballot_codes.generate_codes(ws, 10)
        db.session.commit()
        issued = [*first, *second]
        assert [c.serial for c in issued] == list(range(1, 61))
        assert len({c.code for c in issued}) == 60
        assert all(len(c.code) == 11 and c.code[5] == "-" and normalize(c.code) for c in issued)
        rows = db.session.scalars(select(BallotCode).order_by(BallotCode.serial)).all()
        stored = " ".join(f"{r.code_hash} {r.hint}" for r in rows)
        for item in issued:
            assert normalize(item.code) not in stored  # only the HMAC and a 3-character hint
            assert ballot_codes.find_code(ws, normalize(item.code)).serial == item.serial
        assert [r.hint for r in rows] == [c.code[:3] for c in issued]
        assert ballot_codes.issued_codes(ws) == issued
        assert ballot_codes.find_code(workshop("synthetic-2024"), normalize(issued[0].code)) is None


def test_codes_depend_on_the_key(app):
    with app.app_context():
        before = ballot_codes.derive(1, 1)
        app.config["BALLOT_CODE_KEY"] = "another key"
        assert ballot_codes.derive(1, 1) != before
        assert ballot_codes.derive(1, 1) != ballot_codes.derive(2, 1)


@pytest.mark.parametrize("n", [0, -1, ballot_codes.MAX_BATCH + 1])
def test_batch_size_is_bounded(app, n):
    with app.app_context(), pytest.raises(ValueError, match="codes at a time"):
        ballot_codes.generate_codes(workshop(), n)


def test_codes_csv(app):
    with app.app_context():
        issued = ballot_codes.generate_codes(workshop(), 2)
    text = ballot_codes.codes_csv(issued, lambda code: f"https://x.test/v?code={code}")
    lines = text.splitlines()
    assert lines[0] == "serial,code,url"
    assert lines[1] == f"1,{issued[0].code},https://x.test/v?code={issued[0].code}"
    assert len(lines) == 3


def test_cli_writes_csv_and_printable_cards(app, tmp_path):
    runner = app.test_cli_runner()
    csv_path, html_path = tmp_path / "codes.csv", tmp_path / "cards.html"
    result = runner.invoke(
        args=[
            "voting",
            "codes",
            "bugs-2023",
            "-n",
            "12",
            "--base-url",
            "https://ws.example.org",
            "--csv",
            str(csv_path),
            "--html",
            str(html_path),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "12 codes issued" in result.output
    rows = csv_path.read_text().splitlines()[1:]
    assert len(rows) == 12
    serial, code, url = rows[0].split(",")
    assert url == f"https://ws.example.org/bugs-2023/vote?code={code}"
    html = html_path.read_text()
    assert html.count('class="ballot-card"') == 12 and html.count("<svg") == 12
    assert code in html and "<style>" in html and ".ballot-card" in html
    assert "&#34;" not in html  # the stylesheet is inlined unescaped
    again = runner.invoke(
        args=["voting", "codes", "bugs-2023", "--base-url", "https://x", "--csv", str(csv_path)]
    )
    assert again.exit_code == 0 and code in csv_path.read_text()  # reprinted, same codes
