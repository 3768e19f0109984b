"""A local stand-in for OpenReview's API v2, answering the real `openreview-py` client.

It serves the recorded venue in tests/fixtures/openreview/ (see SOURCE.md there): the venue
group at GET /groups, its notes at GET /notes with the filters and paging the client sends
(`content.venueid`, `invitation`, `details`, `sort=id`, `limit`, `after`, `count`), PDFs at
GET /attachment, and POST /login. Every request is recorded so tests can check what the client
asked for. These machines cannot reach OpenReview, so this is what the importer talks to.
"""

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pdffiles

FIXTURE = Path(__file__).parent / "fixtures" / "openreview"
VENUE = "NeurIPS.cc/2023/Workshop/BUGS"
USERNAME, PASSWORD = "organizer@example.org", "a-password"
HOSTILE_PDF_NOTE = "P0sterDddd"  # its PDF runs JavaScript: refused, the paper still imported
REAL_PDF_NOTE = "Hd9YmE6yWk"  # served the real LaTeX PDF of tests/fixtures/pdf


class RecordedOpenReview:
    """The server, in a thread, on a free port of 127.0.0.1; `url` is the client's baseurl."""

    def __init__(self):
        self.group = json.loads((FIXTURE / "group.json").read_text(encoding="utf-8"))
        self.notes = json.loads((FIXTURE / "notes.json").read_text(encoding="utf-8"))
        self.requests: list[dict] = []
        self.omit: set[str] = set()  # note ids the venue no longer lists (a withdrawal)
        self.unpublished = False  # decisions not yet written to the papers' venueid
        self.page_size: int | None = None  # force small pages, as the client pages by `after`
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server._answer(self, "GET")

            def do_POST(self):
                server._answer(self, "POST")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    # answers

    def _answer(self, handler, method: str) -> None:
        parts = urlsplit(handler.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length) or b"null") if length else None
        self.requests.append(
            {
                "method": method,
                "path": parts.path,
                "params": params,
                "auth": handler.headers.get("Authorization"),
                "agent": handler.headers.get("User-Agent", ""),
            }
        )
        route = {
            ("GET", "/groups"): self._groups,
            ("GET", "/notes"): self._notes,
            ("GET", "/attachment"): self._attachment,
            ("POST", "/login"): self._login,
        }.get((method, parts.path))
        if route is None:
            return self._json(handler, 404, _error("NotFoundError", f"no route {parts.path}"))
        route(handler, params, body)

    def _json(self, handler, status: int, data) -> None:
        payload = json.dumps(data).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _groups(self, handler, params, body) -> None:
        if params.get("id") != VENUE:
            return self._json(handler, 404, _error("NotFoundError", "Group Not Found"))
        self._json(handler, 200, self.group)

    def _visible_notes(self) -> list[dict]:
        notes = [copy.deepcopy(n) for n in self.notes if n["id"] not in self.omit]
        if self.unpublished:
            for note in notes:
                note["content"]["venueid"]["value"] = f"{VENUE}/Submission"
                note["content"]["venue"]["value"] = "BUGS 2023 Submission"
        return notes

    def _notes(self, handler, params, body) -> None:
        notes = self._visible_notes()
        if "content.venueid" in params:
            wanted = params["content.venueid"]
            notes = [n for n in notes if n["content"]["venueid"]["value"] == wanted]
        if "invitation" in params:
            notes = [n for n in notes if params["invitation"] in n["invitations"]]
        if "id" in params:
            notes = [n for n in notes if n["id"] == params["id"]]
        notes.sort(key=lambda n: n["id"])  # the client pages with sort=id and after=<last id>
        total = len(notes)
        if "after" in params:
            notes = [n for n in notes if n["id"] > params["after"]]
        limit = int(params.get("limit") or 1000)
        notes = notes[: min(limit, self.page_size or limit)]
        details = params.get("details") or ""
        for note in notes:
            replies = note.pop("details", {}).get("directReplies", [])
            if "directReplies" in details:
                note["details"] = {"directReplies": replies}
        answer = {"notes": notes}
        if params.get("count") == "true":
            answer["count"] = total
        self._json(handler, 200, answer)

    def _attachment(self, handler, params, body) -> None:
        note = next((n for n in self.notes if n["id"] == params.get("id")), None)
        if note is None or params.get("name") != "pdf" or "pdf" not in note["content"]:
            return self._json(handler, 404, _error("NotFoundError", "Attachment not found"))
        title = note["content"]["title"]["value"]
        if note["id"] == HOSTILE_PDF_NOTE:
            data = pdffiles.with_javascript(pdffiles.paper_pdf(title))
        elif note["id"] == REAL_PDF_NOTE:
            data = pdffiles.REAL_PDF.read_bytes()
        else:
            data = pdffiles.paper_pdf(title, pages=4)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _login(self, handler, params, body) -> None:
        if not body or body.get("id") != USERNAME or body.get("password") != PASSWORD:
            error = _error("InvalidCredentials", "Invalid username or password", 400)
            return self._json(handler, 400, error)
        user = {"id": "~Org_Anizer1", "profile": {"id": "~Org_Anizer1"}}
        self._json(handler, 200, {"token": "recorded-session-token", "user": user})


def _error(name: str, message: str, status: int = 404) -> dict:
    return {"name": name, "message": message, "status": status}
