"""Commands answer wrong arguments and missing prerequisites with one line, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from wsapp.extensions import db
from wsapp.models import User

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
HINT = "run `flask --app wsapp db upgrade` first"


def readme_commands(tmp_path: Path) -> list[list[str]]:
    """Every command the README and the deployment guide tell people to run (but db upgrade)."""
    content = tmp_path / "site.yaml"
    content.write_text("format: wsapp/1\n")
    archive = tmp_path / "backup.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    return [
        ["demo", "load"],
        ["demo", "load", "--if-empty"],
        ["users", "create-admin", "chair@example.org", "--password-stdin"],
        ["voting", "setup", "bugs-2023"],
        ["voting", "codes", "bugs-2023", "-n", "10", "--base-url", "https://ws.example.org"],
        ["voting", "tally", "bugs-2023"],
        ["content", "dump", str(tmp_path / "dump.yaml")],
        ["content", "load", str(content)],
        ["import", "jekyll", str(FIXTURES / "bugs-2023-page-final.md")],
        ["freeze", str(tmp_path / "site")],
        ["export", str(tmp_path / "export.zip")],
        ["import", str(archive)],
    ]


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1, result.output
    assert result.output.startswith("Error: ")
    return result.output


def test_every_readme_command_before_db_upgrade_prints_one_line_with_the_hint(fresh_app, tmp_path):
    runner = fresh_app().test_cli_runner()
    for command in readme_commands(tmp_path):
        result = runner.invoke(args=command, input="long enough password\n")
        output = _one_line_error(result)
        assert "has no tables yet" in output and HINT in output, (command, output)


def test_a_database_behind_the_code_is_named_with_its_revision(fresh_app, tmp_path):
    app = fresh_app()
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        downgrade(revision="-1")
    output = _one_line_error(runner.invoke(args=["demo", "load"]))
    assert "is at revision" in output and "this version of wsapp needs" in output and HINT in output
    with app.app_context():
        upgrade()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0


def test_an_unreachable_database_is_one_line(make_app, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        folder = tmp_path / "gone"
        folder.mkdir()
        app = make_app(DATABASE_URL=f"sqlite:///{folder / 'x.db'}")
        folder.rmdir()
    else:
        app = make_app(DATABASE_URL="postgresql+psycopg://postgres:secret@127.0.0.1:1/gone")
    runner = app.test_cli_runner()
    for command in (["voting", "tally", "x"], ["db", "upgrade"]):
        output = _one_line_error(runner.invoke(args=command))
        assert output.startswith("Error: cannot reach the database ") and "secret" not in output


@pytest.mark.parametrize(
    "args, problem",
    [
        (["users", "create-admin", "not-an-email", "--password-stdin"], "is not an e-mail"),
        (["voting", "codes", "bugs-2023", "-n", "99999999999", "--base-url", "https://x.org"],
         "is not in the range"),
        (["voting", "codes", "bugs-2023", "--base-url", 'http://localhost"><svg/onload=alert(1)>'],
         "is not an http(s) address"),
        (["voting", "codes", "bugs-2023", "--base-url", "javascript:alert(1)"],
         "is not an http(s) address"),
    ],
)  # fmt: skip
def test_wrong_arguments_are_refused_by_name(app, runner, args, problem):
    result = runner.invoke(args=args, input="long enough password\n")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert problem in result.output.splitlines()[-1], result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize(
    "args, problem",
    [
        (["content", "dump", "/nonexistent/x.yaml"], "the folder /nonexistent does not exist"),
        (["export", "/nonexistent/x.zip"], "the folder /nonexistent does not exist"),
        (["voting", "codes", "bugs-2023", "--base-url", "https://x.org", "--csv",
          "/nonexistent/x.csv"], "the folder /nonexistent does not exist"),
        (["users", "create-admin", "chair@example.org", "--password-stdin"],
         "no password on standard input"),
        (["voting", "tally", "nope"], "no workshop 'nope'"),
    ],
)  # fmt: skip
def test_missing_prerequisites_are_one_line(runner, args, problem):
    output = _one_line_error(runner.invoke(args=args, input=""))
    assert problem in output, output


def test_the_real_command_line_before_db_upgrade(tmp_path):
    """The installed `flask` command, as a person types it: one line on stderr, exit 1."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WSAPP_")}
    environment["WSAPP_DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"
    flask = str(Path(sys.executable).parent / "flask")
    result = subprocess.run(
        [flask, "--app", "wsapp", "users", "create-admin", "chair@example.org"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: the database sqlite:///{tmp_path / 'empty.db'} has no tables yet: run"
        f" `{flask} --app wsapp db upgrade` first\n"
    )
