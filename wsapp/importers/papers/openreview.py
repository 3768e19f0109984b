"""Accepted papers of an OpenReview venue (API v2), read with the `openreview-py` client.

The venue's group names its submission invitation and decision settings. Once decisions are
published OpenReview moves each accepted submission to the venue (`content.venueid` is the
venue id) and writes its `venue` ("BUGS 2023 Oral", "ICML 2025 spotlightposter"); those papers
are read with their direct replies. A venue whose decisions are not published to the papers
yet is read from its decision notes instead ("Accept (Poster)").

docs/papers.md says how an organizer runs it: credentials, the API's rate limits.
"""

from collections.abc import Callable

from wsapp.importers.papers.records import (
    ImportFailed,
    Incoming,
    Report,
    clean,
    presentation_in,
)
from wsapp.services import documents

API_URL = "https://api2.openreview.net"
SITE_URL = "https://openreview.net"


def connect(baseurl: str = API_URL, username=None, password=None, token=None):
    """An API v2 client; with no credentials (and none in OPENREVIEW_USERNAME/PASSWORD) a
    guest, who sees what the venue made public."""
    import openreview

    try:
        return openreview.api.OpenReviewClient(
            baseurl=baseurl, username=username, password=password, token=token
        )
    except openreview.OpenReviewException as exc:
        raise ImportFailed(f"OpenReview refused the log-in: {_message(exc)}") from None


def _message(exc) -> str:
    detail = exc.args[0] if exc.args else exc
    if isinstance(detail, dict):
        return str(detail.get("message") or detail.get("name") or detail)
    return str(detail)


def _value(content: dict | None, key: str, default=None):
    """A field of a v2 group or note: {"title": {"value": "..."}}."""
    entry = (content or {}).get(key)
    if isinstance(entry, dict):
        return entry.get("value", default)
    return default


def fetch(client, venue_id: str, report: Report, with_pdfs: bool = True) -> list[Incoming]:
    """The venue's accepted papers, in submission-number order."""
    import openreview

    try:
        group = client.get_group(venue_id)
    except openreview.OpenReviewException as exc:
        raise ImportFailed(
            f"OpenReview has no venue {venue_id!r} that you may read: {_message(exc)}"
        ) from None
    if group.domain is None and not group.content:
        raise ImportFailed(
            f"{venue_id} is an OpenReview API v1 venue (before 2023): export its papers "
            "as CSV and use `flask papers import` instead"
        )
    settings = _Settings(group)
    try:
        notes = client.get_all_notes(content={"venueid": venue_id}, details="directReplies")
        if not notes:
            notes = _accepted_by_decision(client, venue_id, settings, report)
    except openreview.OpenReviewException as exc:
        raise ImportFailed(f"OpenReview refused to list the papers: {_message(exc)}") from None
    found = []
    for note in sorted(notes, key=lambda n: (n.number or 0, n.id)):
        item = _incoming(note, settings, report)
        if item is None:
            continue
        if with_pdfs and _value(note.content, "pdf"):
            item.pdf = _pdf(lambda n=note: client.get_attachment("pdf", id=n.id), item, report)
        found.append(item)
    return found


class _Settings:
    """What the venue group says about its submissions and decisions."""

    def __init__(self, group):
        content = group.content or {}
        self.venue_id = group.id
        self.submission_name = _value(content, "submission_name", "Submission")
        self.decision_name = _value(content, "decision_name", "Decision")
        self.decision_field = _value(content, "decision_field_name", "decision")
        self.accept_options = _value(content, "accept_decision_options") or None
        self.short_name = _value(content, "subtitle", "") or group.id

    def is_accept(self, decision: str | None) -> bool:
        if not decision:
            return False
        if self.accept_options:
            return decision in self.accept_options
        return "accept" in decision.lower()

    def decision(self, note) -> str | None:
        """The decision posted on the submission, from its direct replies."""
        suffix = f"/-/{self.decision_name}"
        for reply in (note.details or {}).get("directReplies") or []:
            invitations = reply.get("invitations") or [reply.get("invitation") or ""]
            if any(str(i).endswith(suffix) for i in invitations):
                return _value(reply.get("content"), self.decision_field)
        return None


def _accepted_by_decision(client, venue_id: str, settings: _Settings, report: Report) -> list:
    submissions = client.get_all_notes(
        invitation=f"{venue_id}/-/{settings.submission_name}", details="directReplies"
    )
    accepted = [note for note in submissions if settings.is_accept(settings.decision(note))]
    if submissions:
        report.note(
            "The venue has not published its decisions to the papers yet: accepted papers "
            f"were read from their {settings.decision_name} notes"
        )
    return accepted


def _incoming(note, settings: _Settings, report: Report) -> Incoming | None:
    content = note.content or {}
    title = clean(_value(content, "title")) or ""
    if not title:
        report.problem(f"openreview:{note.id} has no readable title: skipped")
        return None
    authors = _value(content, "authors")
    if not authors:
        report.problem(f"“{title}”: its authors are not public (log in as an organizer)")
    decision = settings.decision(note)
    venue = _value(content, "venue")
    kind = presentation_in(venue) or presentation_in(decision)
    if kind is None:
        report.note(
            f"“{title}”: neither its venue ({venue or 'none'}) nor its decision "
            f"({decision or 'none'}) says oral, spotlight or poster"
        )
    return Incoming(
        source_id=f"openreview:{note.id}",
        title=title[:500],
        authors=", ".join(filter(None, (clean(a) for a in authors if isinstance(a, str)))) or None
        if isinstance(authors, list)
        else None,
        presentation=kind,
        abstract_md=clean(_value(content, "abstract")),
        openreview_url=f"{SITE_URL}/forum?id={note.forum or note.id}",
    )


def _pdf(download: Callable[[], bytes], item: Incoming, report: Report):
    import openreview

    try:
        return documents.check(download())
    except documents.PdfError as exc:
        report.problem(f"“{item.title}”: its PDF was not stored: {exc}")
    except openreview.OpenReviewException as exc:
        report.problem(f"“{item.title}”: its PDF could not be downloaded: {_message(exc)}")
    return None
