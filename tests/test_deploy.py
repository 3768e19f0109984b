"""Deploy by the book: build the release, then follow docs/deploy.md command by command.

The release is built by `make dist` from a copy of the sources without any compiled catalog.
The guide's shell blocks run as written, in bash, from an empty folder; only the site's own
names (its first block: folder, database, Redis, port) take the test's values, set right after
that block as an admin would edit it. gunicorn starts as the guide's systemd unit says. Then the
site is used over HTTP the way nginx would forward a browser's requests.

Needs PostgreSQL (WSAPP_TEST_DATABASE_URL; the test makes its own role and database beside it,
named after it with `_deploy`) and Redis (WSAPP_TEST_REDIS_URL); skips with the reason when
either is missing, unless WSAPP_REQUIRE_POSTGRES / WSAPP_REQUIRE_REDIS is set.
"""

import configparser
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from functools import cache
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from conftest import PG_URL, create_app, dispose
from conftest import test_config as config_for  # not collected as a test under this name
from servers import Browser, _NoRedirect, free_port
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploy.md"
MAPPED = ("templates", "static", "migrations")  # top-level folders the package carries
LANGUAGES = {"fr": "fr", "vi": "vi", "zh": "zh_Hans"}  # ?lang= code: catalog
ADMIN = "you@example.org"  # the guide's example address
ADMIN_PASSWORD = "a long password for the deployment test"
ORGANIZER = "organizer@example.org"
ORGANIZER_PASSWORD = "the organizer's own long password"
HOST = "workshop.example.org"  # the guide's nginx server_name
# Left out of the copy the release is built from: the sdist must not need them, and the
# catalogs must be compiled by the build itself.
NOT_SOURCES = {".git", ".venv", "node_modules", "dist", "build", "instance", "tests", "bench"}
NOT_SOURCE_SUFFIXES = (".mo", ".pyc", ".egg-info")
# How the guide's systemd unit starts its service: systemd's own PATH, not the caller's.
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

pytestmark = pytest.mark.deploy


# The guide: its fenced blocks, in order, each run at most once.


class Guide:
    """docs/deploy.md's fenced blocks, by section; `take` hands out each one once."""

    def __init__(self, path: Path):
        self.blocks = []  # [section, language, text]
        section = ""
        blocks = re.compile(r"^## ([^\n]+)$|^```(\w+)\n(.*?)^```$", re.M | re.S)
        for match in blocks.finditer(path.read_text()):
            if match.group(1):
                section = match.group(1)
            else:
                self.blocks.append([section, match.group(2), match.group(3)])
        self.taken: list[int] = []

    def take(self, section: str, language: str = "sh") -> str:
        """The next block of `section` (its heading starts so) in `language`, not taken yet."""
        for index, (heading, lang, body) in enumerate(self.blocks):
            if heading.startswith(section) and lang == language and index not in self.taken:
                self.taken.append(index)
                return body
        raise AssertionError(f"docs/deploy.md has no more {language} blocks in {section!r}")

    def left(self) -> list[str]:
        """The sections and languages of the blocks nobody took."""
        return [
            f"{heading} ({lang})"
            for index, (heading, lang, _body) in enumerate(self.blocks)
            if index not in self.taken
        ]


def settings(block: str) -> dict[str, str]:
    """The variables the guide's first block sets (the site's own names) and their values."""
    code = "\n".join(line.split("#", 1)[0] for line in block.splitlines())
    return dict(re.findall(r"(?:^|\s)([A-Z][A-Z_]*)=(\S+)", code))


DEFAULTS = settings(Guide(GUIDE).take("0. Before you start"))


# Services: the test's PostgreSQL role and database, its Redis number.


@pytest.fixture(scope="module")
def postgres() -> dict:
    """libpq settings for a superuser session on the test's PostgreSQL server, or a skip."""
    if not PG_URL:
        if os.environ.get("WSAPP_REQUIRE_POSTGRES"):
            raise RuntimeError("WSAPP_REQUIRE_POSTGRES is set but WSAPP_TEST_DATABASE_URL is not")
        pytest.skip("WSAPP_TEST_DATABASE_URL not set: the deployment needs PostgreSQL")
    url = make_url(PG_URL)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        if os.environ.get("WSAPP_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL at {url.render_as_string()} is unreachable: {exc}")
    finally:
        engine.dispose()
    missing = [tool for tool in ("psql", "createdb", "curl", "make") if not shutil.which(tool)]
    assert not missing, f"the deployment guide needs {', '.join(missing)} on the PATH"
    return {
        "url": url,
        "name": f"{url.database}_deploy",
        "PGHOST": url.host or "127.0.0.1",
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "postgres",
        "PGPASSWORD": url.password or "",
    }


def drop_deployment_database(postgres: dict) -> None:
    """Remove the test's database and role, whatever an earlier run left."""
    engine = create_engine(postgres["url"], isolation_level="AUTOCOMMIT")
    name = postgres["name"]
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    engine.dispose()


def empty_deployment_database(postgres: dict) -> None:
    """A new, empty database for the restore (the role stays): what a new site starts from."""
    engine = create_engine(postgres["url"], isolation_level="AUTOCOMMIT")
    name = postgres["name"]
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    engine.dispose()


@pytest.fixture(scope="module")
def redis_number(redis_server):
    """The test Redis database, emptied before and after the module."""
    import redis

    client = redis.Redis.from_url(redis_server, socket_connect_timeout=0.5)
    client.flushdb()
    yield redis_server
    client.flushdb()
    client.close()


# The release: `make dist` on a copy of the sources.


def _ignore(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {
        name
        for name in names
        if (top and (name in NOT_SOURCES or name.startswith(".venv")))
        or name.endswith(NOT_SOURCE_SUFFIXES)
        or name in {"__pycache__", ".pytest_cache", ".ruff_cache"}
    }  # fmt: skip


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """dist/ as `make dist` writes it, from a copy of the sources that holds no .mo file."""
    sources = tmp_path_factory.mktemp("sources") / "wsapp"
    shutil.copytree(ROOT, sources, symlinks=True, ignore=_ignore)
    assert not list(sources.rglob("*.mo"))
    venv = Path(sys.prefix)
    # the test's own virtualenv builds it (it has `build`); -o: never reinstall it from here
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(sources), "dist", f"VENV={venv}",
         "-o", f"{venv}/.dev-installed"],
        capture_output=True, text=True, timeout=600, env=_clean_environment(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return sources / "dist"


def _wheel(release: Path) -> Path:
    (wheel,) = release.glob("wsapp-*-py3-none-any.whl")
    return wheel


def _listed(archive: Path) -> set[str]:
    """The files `python -m zipfile -l` lists, as the issue's check runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "zipfile", "-l", str(archive)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip()}


def _repository_files(name: str) -> set[str]:
    """The files of a top-level folder (or of the package itself), as the wheel names them."""
    folder = ROOT / name
    prefix = "wsapp/" if name != "wsapp" else ""
    return {
        f"{prefix}{name}/{path.relative_to(folder).as_posix()}"
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".mo")
    }


def test_release_carries_everything_the_app_needs(release):
    """The wheel holds every template, static file and migration, the demo and the .mo files."""
    listed = _listed(_wheel(release))
    for name in (*MAPPED, "wsapp"):  # the package's own data files too (demo, catalogs)
        missing = _repository_files(name) - listed
        assert not missing, f"{name}/ files missing from the wheel: {sorted(missing)}"
    assert "wsapp/static/vendor/htmx/htmx.min.js" in listed
    assert "wsapp/static/vendor/htmx/LICENSE" in listed
    assert "wsapp/data/demo.yaml" in listed
    for locale in LANGUAGES.values():
        mo = f"wsapp/translations/{locale}/LC_MESSAGES/messages.mo"
        assert mo in listed, f"{mo} is not in the wheel"
        # compiled from this checkout's catalog: every translated message is in it
        with zipfile.ZipFile(_wheel(release)) as wheel:
            compiled = wheel.read(mo)
        for message in _catalog(locale).values():
            assert message.encode() in compiled
    assert not any(name.endswith((".pyc", "__pycache__")) for name in listed)
    assert (release / "requirements.lock").read_text() == (ROOT / "requirements.lock").read_text()
    # `python -m build` made the wheel from the sdist; the sdist also holds the compiled catalogs
    (sdist,) = release.glob("wsapp-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"templates/base.html", "static/vendor/htmx/LICENSE", "migrations/env.py"} <= names
    assert "wsapp/translations/zh_Hans/LC_MESSAGES/messages.mo" in names
    assert "requirements.lock" in names
    assert not any(name.startswith("tests/") for name in names)


def test_resources_found_installed_or_in_checkout(tmp_path, monkeypatch):
    """Installed: wsapp/<name>; a checkout: <top>/<name> beside pyproject.toml; else an error."""
    from wsapp import resources

    package = tmp_path / "wsapp"
    (package / "templates").mkdir(parents=True)
    monkeypatch.setattr(resources, "PACKAGE", package)
    assert resources.folder("templates") == package / "templates"
    (tmp_path / "static").mkdir()
    with pytest.raises(RuntimeError, match="static/ folder is missing"):
        resources.folder("static")  # a folder beside an installed package is not the checkout
    (tmp_path / "pyproject.toml").write_text("")
    assert resources.folder("static") == tmp_path / "static"
    assert resources.folder("templates") == package / "templates"  # installed wins


# The deployment.


def _clean_environment(**extra: str) -> dict[str, str]:
    """The caller's environment without this test run's virtualenv, settings or libpq ones."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WSAPP_", "PG", "PYTHON", "VIRTUAL_ENV"))
    }
    venv_bin = str(Path(sys.prefix) / "bin")
    environ["PATH"] = os.pathsep.join(
        entry for entry in environ.get("PATH", "").split(os.pathsep) if entry != venv_bin
    )
    environ.update(extra)
    return environ


class Site:
    """The site the guide builds: its folder, its shell sittings and its gunicorn."""

    def __init__(self, root: Path, guide: Guide, postgres: dict, redis_url: str, release: Path):
        self.root = root
        self.folder = root / "site"
        self.guide = guide
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logs = root / "logs"
        self.logs.mkdir()
        self.release = root / "release"  # what an admin copied to the host
        self.release.mkdir()
        for name in (_wheel(release).name, "requirements.lock"):
            shutil.copy(release / name, self.release / name)
        self.names = {
            "SITE": str(self.folder),
            "RELEASE": str(self.release),
            "DB": postgres["name"],
            "BIND": f"127.0.0.1:{self.port}",
            "REDIS_URL": redis_url,
            "PGHOST": postgres["PGHOST"],
            "PGPORT": postgres["PGPORT"],
            "PGUSER": postgres["PGUSER"],
        }
        self.password = {"PGPASSWORD": postgres["PGPASSWORD"]} if postgres["PGPASSWORD"] else {}
        self.settings = guide.take("0. Before you start")
        assert set(DEFAULTS) == set(self.names), f"the guide's site names changed: {DEFAULTS}"
        assert DEFAULTS["SITE"] == "/srv/wsapp"  # the folder the systemd unit names (see _unit)
        self.server: subprocess.Popen | None = None
        self.sittings = 0

    def shell(self, *blocks: str, stdin: str = "") -> str:
        """Run the guide's blocks in one bash session, after its first block and our names."""
        self.sittings += 1
        ours = "\n".join(
            f"{'export ' if name.startswith('PG') else ''}{name}={shlex.quote(value)}"
            for name, value in self.names.items()
        )
        script = "\n".join(
            ["set -euxo pipefail", self.settings, "# the test's own names", ours, *blocks]
        )
        path = self.logs / f"sitting{self.sittings}.sh"
        path.write_text(script)
        log = self.logs / f"sitting{self.sittings}.log"
        with log.open("w") as output:
            result = subprocess.run(
                ["bash", str(path)],
                input=stdin, stdout=output, stderr=subprocess.STDOUT, text=True, timeout=600,
                cwd=self.root, env=_clean_environment(**self.password), start_new_session=True,
            )  # fmt: skip
        output = log.read_text()
        assert result.returncode == 0, f"the guide's commands failed:\n{output[-4000:]}"
        return output

    def start(self) -> None:
        """Start gunicorn as the guide's systemd unit does (the unit is read once)."""
        if not hasattr(self, "unit"):
            self.unit = _unit(self.guide.take("4. Run", "ini"), self.folder)
        service = self.unit["Service"]
        environment = {
            "PATH": SYSTEMD_PATH,
            "HOME": str(self.root),
            "LANG": "C.UTF-8",
            **_environment_file(Path(service["EnvironmentFile"])),
            "WSAPP_WORKERS": "2",  # the machine has two cores
        }
        log = (self.logs / "gunicorn.log").open("a")
        self.server = subprocess.Popen(
            shlex.split(service["ExecStart"]),
            cwd=service["WorkingDirectory"], env=environment, stdin=subprocess.DEVNULL,
            stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer in 60 s:\n{self.log()}")

    def stop(self) -> None:
        if self.server is None:
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()
        self.server = None

    def log(self) -> str:
        return (self.logs / "gunicorn.log").read_text()[-4000:]


def _unit(block: str, folder: Path) -> configparser.ConfigParser:
    """The guide's systemd unit, its /srv/wsapp paths pointing at the test's site folder."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read_string(block.replace("/srv/wsapp", str(folder)))
    return parser


def _environment_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines, as systemd's EnvironmentFile= reads them (comments and blanks skipped)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith(("#", ";")):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("\"'")
    return values


class ProxiedBrowser(Browser):
    """A browser behind the guide's nginx: HTTPS outside, the X-Forwarded-* headers inside."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        # the proxy terminates TLS: the browser sends its Secure cookies to it
        self.cookies = CookieJar(DefaultCookiePolicy(secure_protocols=("https", "http")))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, path: str, **headers):
        return self.request(self.url + path, headers={**self._forwarded(), **headers})

    def file(self, path: str) -> tuple[int, str, bytes]:
        """Status, Cache-Control and the bytes of a file."""
        request = urllib.request.Request(self.url + path, headers=self._forwarded())
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.headers["Cache-Control"], response.read()

    def post(self, path: str, data: dict, referer: str):
        headers = {
            **self._forwarded(),
            "Referer": f"https://{HOST}{referer}",
            "Origin": f"https://{HOST}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.request(self.url + path, data=urlencode(data).encode(), headers=headers)

    @staticmethod
    def _forwarded() -> dict[str, str]:
        return {
            "Host": HOST,
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": HOST,
        }


@pytest.fixture(scope="module")
def site(tmp_path_factory, postgres, redis_number, release):
    """Steps 1 to 3 of the guide done, and gunicorn started as its step 4 says."""
    drop_deployment_database(postgres)
    site = Site(tmp_path_factory.mktemp("deploy"), Guide(GUIDE), postgres, redis_number, release)
    try:
        site.shell(
            site.guide.take("1. Install"),
            site.guide.take("2. Configure"),
            site.guide.take("3. Database"),
            site.guide.take("3. Database"),  # the demo
            stdin=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",  # create-admin asks twice
        )
        site.start()
        yield site
    finally:
        site.stop()
        drop_deployment_database(postgres)


def _catalog(locale: str) -> dict[str, str]:
    """The checkout's translated interface strings: {msgid: msgstr}."""
    path = ROOT / "wsapp" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    return {
        message.id: message.string
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string
        and message.string != message.id
    }  # fmt: skip


def _texts(html: str) -> set[str]:
    soup = BeautifulSoup(html, "html.parser")
    texts = set(soup.stripped_strings)
    for tag in soup.find_all(True):
        for attribute in ("aria-label", "title", "placeholder", "content", "value"):
            if tag.get(attribute):
                texts.add(tag[attribute].strip())
    return texts


@cache  # the same content before and after the restore
def _expected_translations(path: str, code: str, locale: str, database_url: str) -> set[str]:
    """What the checkout, in this language, shows of its catalog on `path`: the oracle."""
    app = create_app(config_for(database_url, SERVER_NAME=None, PAGE_CACHE=False))
    try:
        html = app.test_client().get(f"{path}?lang={code}").text
    finally:
        dispose(app)
    shown = _texts(html)
    return {message for message in _catalog(locale).values() if message in shown}


def test_deployment_by_the_book(site, postgres):
    """The guide, followed from an empty folder, gives a site that works in every language."""
    # Nothing of the sources is in the site's folder: the installed package answers.
    sources = [
        path for path in site.folder.rglob("*")
        if ".venv" not in path.relative_to(site.folder).parts and path.suffix in (".py", ".html")
    ]  # fmt: skip
    assert not sources, sources
    where = subprocess.run(
        [str(site.folder / ".venv/bin/python"), "-c", "import wsapp; print(wsapp.__file__)"],
        cwd=site.folder, capture_output=True, text=True, check=True, env=_clean_environment(),
    ).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(site.folder / ".venv" / "lib"), where
    _check_static_folder(site, Path(where).parent / "static")
    assert (site.folder / "wsapp.env").stat().st_mode & 0o777 == 0o600  # it holds the secrets

    # Step 4's check, then its static files built on their own (the app did it at start).
    output = site.shell(site.guide.take("4. Run"))
    assert '"status":"ok"' in output.replace(" ", ""), output[-2000:]
    output = site.shell(site.guide.take("4. Run"))
    assert f"static files into {site.folder / 'static'}" in output, output[-2000:]

    # Step 2's example of a mistyped setting: the installed app says exactly that, and stops.
    (refusal,) = site.guide.take("2. Configure", "text").strip().splitlines()
    output = site.shell(
        'cd "$SITE" && set -a && . ./wsapp.env && set +a',
        "if WSAPP_NOW=tomorrow .venv/bin/flask --app wsapp routes; then exit 1; fi",
    )
    assert refusal in output, output[-2000:]

    database = site_database_url(site, postgres)
    _check_translated(site, database)
    _check_static_files(site)
    _invite_organizer(site)
    _check_organizer_logs_in(site)

    # Step 7: a backup, then a restore into a new, empty database; the site comes back whole.
    site.shell(site.guide.take("7. Backup"))
    (archive,) = (site.folder / "backups").glob("wsapp-*.zip")
    assert zipfile.ZipFile(archive).testzip() is None
    site.stop()
    empty_deployment_database(postgres)
    output = site.shell(site.guide.take("7. Backup"))
    assert "Restored" in output, output[-2000:]
    site.start()
    _check_translated(site, database)
    _check_organizer_logs_in(site)

    # Step 8: an upgrade replaces the installed files even at the same version number.
    base = Path(where).parent / "templates" / "base.html"
    pristine = base.read_bytes()
    base.write_text("an older release's template")
    site.shell(site.guide.take("8. Upgrade"))
    assert base.read_bytes() == pristine
    site.stop()
    site.start()
    _check_static_files(site)
    _check_organizer_logs_in(site)

    # Every shell command of the guide ran. What is left is nginx's configuration (no nginx
    # here): it must at least forward to the guide's gunicorn and serve the link of step 1.
    assert site.guide.left() == ["5. nginx, TLS and proxy headers (nginx)"]
    nginx = site.guide.take("5. nginx", "nginx")
    assert f"proxy_pass http://{DEFAULTS['BIND']};" in nginx
    assert f"alias {DEFAULTS['SITE']}/static/;" in nginx
    assert f"server_name {HOST};" in nginx


def site_database_url(site: Site, postgres: dict) -> str:
    """The deployed site's database, from its wsapp.env."""
    return _environment_file(site.folder / "wsapp.env")["WSAPP_DATABASE_URL"]


def _check_translated(site: Site, database_url: str) -> None:
    """The site index and a workshop's home show their interface in fr, vi and zh_Hans."""
    browser = ProxiedBrowser(site.url)
    for path in ("/", "/bugs-2023/"):
        for code, locale in LANGUAGES.items():
            expected = _expected_translations(path, code, locale, database_url)
            assert len(expected) >= 8, f"the checkout shows few {locale} strings on {path}"
            status, _headers, html = browser.get(f"{path}?lang={code}")
            assert status == 200
            missing = expected - _texts(html)
            assert not missing, f"{path} in {locale} lacks {sorted(missing)[:10]}"


def _manifest(site: Site) -> dict[str, str]:
    """The built static files' names, source name -> hashed name (wsapp/assets.py)."""
    return json.loads((site.folder / "static" / "manifest.json").read_text())["files"]


def _check_static_folder(site: Site, package_static: Path) -> None:
    """The site's static/ (WSAPP_STATIC_DIR, nginx's alias) holds every static file of the
    installed package under its hashed name, with its compressed copies."""
    names = _manifest(site)
    sources = {
        path.relative_to(package_static).as_posix()
        for path in package_static.rglob("*") if path.is_file()
    }  # fmt: skip
    assert set(names) == sources
    for name, hashed in names.items():
        built = site.folder / "static" / hashed
        assert built.read_bytes() == (package_static / name).read_bytes(), name
    assert (site.folder / "static" / (names["css/site.css"] + ".br")).is_file()
    assert (site.folder / "static" / (names["vendor/htmx/htmx.min.js"] + ".gz")).is_file()


def _check_static_files(site: Site) -> None:
    """Every /static/ URL of the home page loads, the same file the guide's nginx would send."""
    browser = ProxiedBrowser(site.url)
    status, _headers, html = browser.get("/bugs-2023/")
    assert status == 200
    soup = BeautifulSoup(html, "html.parser")
    urls = [
        tag.get("href") or tag.get("src")
        for tag in soup.find_all(["link", "script", "img"])
        if (tag.get("href") or tag.get("src") or "").startswith("/static/")
    ]
    sources = {hashed: name for name, hashed in _manifest(site).items()}
    names = {sources[url.removeprefix("/static/")] for url in urls}
    assert {"css/site.css", "vendor/htmx/htmx.min.js", "img/favicon.svg"} <= names, names
    for url in urls:
        hashed = url.removeprefix("/static/")
        status, cache_control, body = browser.file(url)
        assert status == 200
        assert "immutable" in cache_control, url
        assert body == (site.folder / "static" / hashed).read_bytes(), (
            f"{url}: not what nginx sends"
        )
        assert body == (ROOT / "static" / sources[hashed]).read_bytes(), (
            f"{url}: not this checkout's"
        )


def _log_in(site: Site, email: str, password: str) -> ProxiedBrowser:
    """A browser logged in through the form; it has reached the organizer area."""
    browser = ProxiedBrowser(site.url)
    status, _headers, page = browser.get("/login")
    assert status == 200
    form = {"email": email, "password": password, "csrf_token": _token(page), "next": ""}
    status, headers, body = browser.post("/login", form, referer="/login")
    assert status in (302, 303), f"log-in refused ({status}): {body[-1500:]}"
    cookie = next(cookie for cookie in browser.cookies if cookie.name == "session")
    assert cookie.secure, "behind HTTPS the session cookie must be Secure"
    status, _headers, dashboard = browser.get(_path(headers["Location"]))
    assert status == 200, dashboard[-1500:]
    assert email in dashboard
    return browser


def _check_organizer_logs_in(site: Site) -> None:
    """The admin and the organizer it invited log in; each manages what it may, and no more."""
    _log_in(site, ADMIN, ADMIN_PASSWORD)
    organizer = _log_in(site, ORGANIZER, ORGANIZER_PASSWORD)
    assert organizer.get("/manage/bugs-2023/")[0] == 200
    assert organizer.get("/manage/synthetic-2024/")[0] == 403


def _invite_organizer(site: Site) -> None:
    """The admin invites an organizer of bugs-2023, who follows the link and sets a password."""
    admin = _log_in(site, ADMIN, ADMIN_PASSWORD)
    status, _headers, page = admin.get("/manage/bugs-2023/access")
    assert status == 200, page[-1500:]
    form = {"email": ORGANIZER, "csrf_token": _token(page)}
    status, _headers, page = admin.post(
        "/manage/bugs-2023/access/invite", form, referer="/manage/bugs-2023/access"
    )
    assert status == 200, page[-1500:]
    link = BeautifulSoup(page, "html.parser").select_one("input.copy-field")["value"]
    # the link is built from what the proxy forwarded (WSAPP_PROXY_COUNT=1): the public address
    assert link.startswith(f"https://{HOST}/invite/"), link
    organizer = ProxiedBrowser(site.url)
    status, _headers, page = organizer.get(_path(link))
    assert status == 200, page[-1500:]
    form = {
        "password": ORGANIZER_PASSWORD,
        "confirm": ORGANIZER_PASSWORD,
        "csrf_token": _token(page),
    }
    status, headers, page = organizer.post(_path(link), form, referer=_path(link))
    assert status in (302, 303), page[-1500:]
    assert _path(headers["Location"]) == "/manage/bugs-2023/"


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _path(url: str) -> str:
    """The path of an absolute URL of the public site (what the proxy would forward)."""
    return url.removeprefix(f"https://{HOST}")


def test_systemd_unit_is_valid(tmp_path):
    """systemd itself reads the guide's unit without an error (its paths under tmp_path)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    guide = Guide(GUIDE)
    block = guide.take("4. Run", "ini").replace("/srv/wsapp", str(tmp_path))
    gunicorn = tmp_path / ".venv" / "bin" / "gunicorn"
    gunicorn.parent.mkdir(parents=True)
    gunicorn.write_text("#!/bin/sh\n")
    gunicorn.chmod(0o755)
    (tmp_path / "wsapp.env").write_text("WSAPP_ENV=production\n")
    unit = tmp_path / "wsapp.service"
    unit.write_text(block)
    result = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "wsapp.service" not in result.stderr, result.stderr
