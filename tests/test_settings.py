"""Settings are checked at start-up: a wrong one stops the app, every flask command and
gunicorn with one line naming the variable (wsapp/config_check.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wsapp import create_app
from wsapp.config_check import SettingsError

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

WRONG = [
    ("NOW", "tomorrow", "is not an ISO 8601 date-time"),
    ("NOW", "2023-12-15T14:10:00", "has no UTC offset"),
    ("DATABASE_URL", "mysqlx://db/wsapp", "unknown database 'mysqlx'"),
    ("DATABASE_URL", "not a url", "is not a database URL"),
    ("DATABASE_URL", "postgresql+asyncpg://u:secret@h/db", "is not installed"),
    ("DATABASE_URL", "sqlite:////no/such/folder/wsapp.db", "does not exist"),
    ("BABEL_DEFAULT_TIMEZONE", "Mars/Olympus", "is not an IANA time zone name"),
    ("BABEL_DEFAULT_LOCALE", "xx", "is not one of the site's languages"),
    ("ENV", "prodution", "is neither development nor production"),
    ("REDIS_URL", "http://127.0.0.1:6379", "is not a Redis URL"),
    ("MAX_IMAGE_BYTES", "10MB", "is not a whole number"),
    ("MAX_IMAGE_BYTES", 0, "out of range"),
    ("PAGE_CACHE", "no", "is neither true nor false"),
    ("PAGE_CACHE_SECONDS", -1, "out of range"),
    ("PROXY_COUNT", 99, "out of range"),
    ("IMAGES_AT_ONCE", 0, "out of range"),
    ("LOGIN_LIMIT_PER_IP", "lots", "is not a limit"),
    ("VOTING_CODE_ATTEMPTS", "0/600", "is not a limit"),
    ("LOG_FORMAT", "xml", "is neither json nor text"),
    ("LOG_LEVEL", "CHATTY", "is not a log level"),
    ("SITE_NAME", "  ", "is not a non-empty text"),
]


def _config(tmp_path, **settings) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        **settings,
    }


@pytest.mark.parametrize("name, value, problem", WRONG)
def test_a_wrong_setting_stops_the_app_with_one_line_naming_it(tmp_path, name, value, problem):
    with pytest.raises(SettingsError) as error:
        create_app(_config(tmp_path, **{name: value}))
    message = str(error.value)
    assert message.startswith(f"WSAPP_{name}: ") and problem in message, message
    assert "\n" not in message and "secret" not in message  # one line, no password shown
    assert error.value.code == f"Error: {message}"  # what the process prints as it exits


def test_good_settings_are_normalized(tmp_path):
    app = create_app(
        _config(
            tmp_path, MAX_IMAGE_BYTES="5000000", MAX_PDF_BYTES="1000000", NOW="2023-12-15T08:00:00Z"
        )
    )
    assert app.config["MAX_IMAGE_BYTES"] == 5_000_000
    assert app.config["NOW"].isoformat() == "2023-12-15T08:00:00+00:00"
    # a request may carry the largest upload: one image, or a paper's three PDFs
    assert app.config["MAX_CONTENT_LENGTH"] == 5_000_000 + 1024 * 1024
    app = create_app(_config(tmp_path, MAX_IMAGE_BYTES="5000000", MAX_PDF_BYTES="2000000"))
    assert app.config["MAX_CONTENT_LENGTH"] == 3 * 2_000_000 + 1024 * 1024


def _run(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WSAPP_")}
    environment.update({"WSAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", **env})
    return subprocess.run(
        args,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "command",
    [["db", "upgrade"], ["run", "--port", "0"], ["demo", "load"], ["routes"], ["--help"]],
)
def test_every_flask_command_stops_with_one_line(tmp_path, command):
    result = _run([FLASK, "--app", "wsapp", *command], tmp_path, WSAPP_NOW="tomorrow")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: WSAPP_NOW: 'tomorrow' is not an ISO 8601 date-time such as "
        "2023-12-15T16:10:00+00:00\n"
    )


def test_gunicorn_stops_with_one_line_before_any_worker(tmp_path):
    result = _run(
        [GUNICORN, "-c", "gunicorn.conf.py", "wsgi:app"],
        tmp_path,
        WSAPP_BABEL_DEFAULT_TIMEZONE="Mars/Olympus",
        WSAPP_BIND="127.0.0.1:0",
        WSAPP_WORKERS="1",
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "[INFO]" not in line]
    assert lines == [
        "Error: WSAPP_BABEL_DEFAULT_TIMEZONE: 'Mars/Olympus' is not an IANA time zone name such"
        " as UTC or Europe/Zurich"
    ]
    assert "Booting worker" not in result.stderr
