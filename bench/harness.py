"""Real servers and keep-alive clients for the voting load test and benchmark.

`Server` runs gunicorn (with the project's gunicorn.conf.py) in a subprocess on a free port;
`Client` is one browser: a persistent HTTP/1.1 connection with its own cookie jar.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`gunicorn <app>` on 127.0.0.1:<free port>: `workers` processes of `threads` threads."""

    def __init__(
        self,
        app: str,
        env: dict[str, str],
        threads: int = 8,
        log: Path | None = None,
        workers: int = 1,
    ):
        self.port = free_port()
        environment = {
            **os.environ,
            **env,
            "WSAPP_BIND": f"127.0.0.1:{self.port}",
            "WSAPP_WORKERS": str(workers),
            "WSAPP_THREADS": str(threads),
            "WSAPP_LOG_LEVEL": "warning",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
        }
        self._log = open(log or os.devnull, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
            cwd=ROOT,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str = "/healthz", timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
            finally:
                conn.close()
        raise RuntimeError("server did not start in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


class Client:
    """A browser: one keep-alive HTTP/1.1 connection, cookies, the page's CSRF token.

    It writes requests and reads responses on a plain socket: the load comes from the same
    machine as the servers, and http.client (its email-parser headers above all) cost as much
    CPU per request as a vote's own work on the server. Responses are read as gunicorn sends
    them: a Content-Length, or chunked."""

    def __init__(self, port: int):
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        body = urlencode(form).encode() if form is not None else b""
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded"]
            lines += [f"Content-Length: {len(body)}"]
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in range(2):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
                    self.buffer = b""
                self.sock.sendall(message)
                status, found, text = self._response(method)
                break
            except (ConnectionError, EOFError):
                # gunicorn closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt:
                    raise
        for name, value in found:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if ("connection", "close") in found:
            self.close()
        return status, text

    def _response(self, method: str) -> tuple[int, list[tuple[str, str]], str]:
        head = self._until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        found = []
        for line in head[1:]:
            name, _, value = line.partition(":")
            found.append((name.strip().lower(), value.strip()))
        fields = dict(found)
        if method == "HEAD" or status in (204, 304):
            body = b""
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int(self._until(b"\r\n").split(b";")[0], 16):
                body += self._exactly(size)
                self._until(b"\r\n")
            self._until(b"\r\n")  # the last chunk's end (no trailers)
        else:
            body = self._exactly(int(fields.get("content-length", "0")))
        return status, found, body.decode()

    def _until(self, mark: bytes) -> bytes:
        while (end := self.buffer.find(mark)) < 0:
            self._fill()
        found, self.buffer = self.buffer[:end], self.buffer[end + len(mark) :]
        return found

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed the connection")
        self.buffer += chunk

    def open_page(self, path: str) -> str:
        status, text = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        self.csrf = CSRF.search(text).group(1)
        return text

    def vote(self, path: str, paper: int, extra: dict | None = None):
        form = {"csrf_token": self.csrf, "paper": paper, **(extra or {})}
        return self.request("POST", path, form, {"HX-Request": "true"})

    def reconnect(self, port: int) -> None:
        """The same browser (cookies, token) on another server."""
        self.close()
        self.port = port

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""


def server_env(database_url: str, secret: str, **settings: str) -> dict[str, str]:
    """The WSAPP_* environment of a benchmarked wsapp server: production settings, only
    warnings in the log, no worker recycling (a soak sees memory as it grows); `settings` adds
    WSAPP_<NAME> values (`redis_url=...`, `proxy_count="1"`)."""
    env = {
        "WSAPP_DATABASE_URL": database_url,
        "WSAPP_SECRET_KEY": secret,
        "WSAPP_ENV": "production",
        "WSAPP_LOG_LEVEL": "WARNING",
        "WSAPP_MAX_REQUESTS": "0",
    }
    env.update({f"WSAPP_{name.upper()}": value for name, value in settings.items()})
    return env


def prepare_demo(url: str, secret: str, clients: int) -> tuple[list[str], list[int]]:
    """Empty the database (PostgreSQL), load the demo, open best oral, issue `clients` codes;
    returns the codes and the candidates' paper ids."""
    from sqlalchemy import select, text

    from wsapp import create_app
    from wsapp.extensions import db
    from wsapp.models import ManualState, Workshop
    from wsapp.services.content.demo import load_demo
    from wsapp.services.voting import codes as ballot_codes
    from wsapp.services.voting import votes as voting

    create_database(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
        load_demo()
        workshop = db.session.scalar(select(Workshop).where(Workshop.slug == "bugs-2023"))
        category = voting.category(workshop, "best-oral")
        category.manual_state = ManualState.OPEN
        codes = [c.code for c in ballot_codes.generate_codes(workshop, clients)]
        db.session.commit()
        papers = [p.id for p in voting.candidates(category)]
        db.engine.dispose()
    return codes, papers


def create_database(url: str) -> None:
    """Create the benchmark's database beside the server's `postgres` one, if missing."""
    from sqlalchemy import create_engine, text

    base, name = url.rsplit("/", 1)
    engine = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def wrk(
    url: str,
    duration: int,
    connections: int,
    script: Path | None = None,
    headers: dict | None = None,
) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": 0,
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["errors"] += int(match.group(1))
    socket_errors = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(socket_errors, out):
        result["errors"] += sum(int(n) for n in match.groups())
    return result


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def site_arguments(description: str) -> argparse.ArgumentParser:
    """The options every benchmark of the site under gunicorn takes (more may be added)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/wsapp_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    return parser


def sqlite_demo(folder: Path) -> str:
    """The URL of a new SQLite file in `folder` with the schema and the demo content."""
    sys.path.insert(0, str(ROOT))
    from wsapp import create_app
    from wsapp.extensions import db
    from wsapp.services.content.demo import load_demo

    url = f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        db.engine.dispose()
    return url
