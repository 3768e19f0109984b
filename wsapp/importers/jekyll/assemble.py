"""The sections' yield put together as one wsapp/1 document: people, roles, dates, schedule."""

import datetime as dt
import re

from wsapp.importers.jekyll import cfp as cfp_parts
from wsapp.importers.jekyll import dates as date_parts
from wsapp.importers.jekyll import program
from wsapp.importers.jekyll.parts import ROLE_KINDS, Options, PageError, Parts
from wsapp.importers.jekyll.people import person_key, split_caption
from wsapp.importers.jekyll.report import ImageRef, Report
from wsapp.timezones.formats import zone

WORKSHOP_DAY = re.compile(r"workshop|event day|conference day", re.I)
NOT_WORKSHOP_DAY = re.compile(r"deadline|notification|submission|registration|camera", re.I)
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
RESERVED_SLUGS = {"static", "archive", "manage", "login", "logout", "auth", "account", "admin"}
OPENREVIEW_GROUP = re.compile(r"openreview\.net/group\?id=[^/]+/(\d{4})/Workshop/([A-Za-z0-9_-]+)")


def assemble(title, conference, year, front, parts: Parts, options: Options, report: Report):
    """The wsapp/1 document for the page: {"format", "people", "workshops": [one]}."""
    persons, roles = _people(parts, report)
    day, end_day = _workshop_day(parts, options, year, report)
    venue = program.venue(parts, options, day, report)
    items, papers = program.build(parts, venue, (day, end_day), year, persons, roles, report)
    dates = _dates(parts, venue.timezone, year, report)
    cfp = _cfp(parts, report)
    conference_url = link_text = None
    if parts.conference:
        _, conference_url, link_text = parts.conference
    short_name = _short_name(cfp, year)
    slug = options.slug or f"{short_name or person_key(title)}-{year or ''}".strip("-").lower()
    if not SLUG.fullmatch(slug) or slug in RESERVED_SLUGS:
        raise PageError(f"--slug {slug!r}: use lowercase letters, digits and hyphens (at most "
                        f"80), and none of {', '.join(sorted(RESERVED_SLUGS))}")  # fmt: skip
    report.slug = slug
    workshop = {
        "slug": slug, "title": title, "short_name": short_name,
        "tagline_md": front.get("description", ""),
        "description_md": "\n\n".join(parts.description).strip(),
        "conference": {"name": conference, "year": year, "url": conference_url,
                       "link_text": link_text},
        "city": venue.city, "country": venue.country, "venue": "", "room": "",
        "timezone": venue.timezone,
        "start_date": day.isoformat() if day else None,
        "end_date": end_day.isoformat() if end_day else None,
        "contact_email": None, "website_url": None,
        "published": True if options.publish is None else options.publish, "featured": False,
        **roles, "papers": papers, "schedule": items, "cfp": cfp, "dates": dates,
        **_logos(parts, report),
        "news": [], "announcements": _votes(report, venue.timezone, end_day),
    }  # fmt: skip
    _images(report, persons, parts)
    report.counts = _counts(workshop, persons)
    return {"format": "wsapp/1", "people": list(persons.values()), "workshops": [workshop]}


def _people(parts: Parts, report: Report) -> tuple[dict[str, dict], dict[str, list]]:
    persons: dict[str, dict] = {}
    roles: dict[str, list] = {kind: [] for kind in ROLE_KINDS}
    for kind in ROLE_KINDS:
        for entry in parts.roles[kind]:
            key = entry.key
            if any(r["person"] == key for r in roles[kind]):
                report.warn(f"{entry.name} is listed twice among the {kind}; kept once")
                continue
            person = persons.setdefault(
                key, {"key": key, "name": entry.name, "homepage": entry.href, "photo": None}
            )
            if entry.href and person["homepage"] and entry.href != person["homepage"]:
                report.warn(f"{entry.name} links to {person['homepage']} and {entry.href}; "
                            "kept the first")  # fmt: skip
            person["homepage"] = person["homepage"] or entry.href
            person.setdefault("_photo", entry.photo)
            person["_photo"] = person["_photo"] or entry.photo
            position, affiliation = split_caption(entry.caption)
            roles[kind].append({"person": key, "position": position, "affiliation": affiliation})
    return persons, roles


def _workshop_day(parts: Parts, options: Options, year, report: Report):
    found = next(
        (d for d in parts.dates
         if WORKSHOP_DAY.search(d.label) and not NOT_WORKSHOP_DAY.search(d.label)
         and d.value.day),
        None,
    )  # fmt: skip
    day = found.value.day if found else None
    end = (found.value.end or day) if found else None
    if options.date:
        if day and day != options.date:
            report.warn(f"--date {options.date} replaces the page's workshop date {day}")
        day = end = options.date
    if day and year and day.year != year:
        report.warn(f"the workshop date {day} is not in the conference year {year} (a page "
                    "copied from an earlier edition?); pass --date to correct it")  # fmt: skip
    return day, end


def _dates(parts: Parts, tz: str, year, report: Report) -> list[dict]:
    entries = []
    for item in parts.dates:
        entry = date_parts.to_entry(item, tz, report.warn)
        if entry is None:
            report.leave("Important Dates", 0, item.text, "not imported: no date found in it")
            continue
        entries.append(entry)
    years = {dt.date.fromisoformat((e.get("due") or e.get("date"))[:10]).year for e in entries}
    if year and years and max(years) < year:
        report.warn(f"every important date is before {year}, the conference year (dates "
                    "copied from an earlier edition?)")  # fmt: skip
    deadline = next(
        (e for e in entries if "due" in e and re.search(r"submission|paper", e["label"], re.I)),
        None,
    )
    for entry in entries:
        entry["submission_deadline"] = entry is deadline
    return entries


def _cfp(parts: Parts, report: Report) -> dict | None:
    if not (parts.call or parts.instructions or parts.reviewers):
        return None
    cfp, used = cfp_parts.empty_cfp(), set()
    cfp_parts.build_call(parts.call, cfp, used, report.note)
    cfp_parts.build_instructions(parts.instructions, cfp, used)
    cfp["reviewers_md"] = "\n\n".join(b.source for b in parts.reviewers)
    cfp_parts.finish(cfp, report.warn)
    return cfp


def _short_name(cfp: dict | None, year) -> str | None:
    m = OPENREVIEW_GROUP.search((cfp or {}).get("submission_url") or "")
    return m[2] if m and year and int(m[1]) == year else None


def _logos(parts: Parts, report: Report) -> dict[str, list]:
    result, unnamed = {}, []
    for kind in ("sponsors", "institutions"):
        result[kind] = [{"name": x.name, "url": x.url, "logo": None} for x in parts.logos[kind]]
        unnamed += [x.name for x in parts.logos[kind] if x.named_by in ("domain", "file name")]
    if unnamed:
        report.note(f"{len(unnamed)} logos have no name on the page (no alt text); named after "
                    f"their link's domain (rename them in the organizer area): "
                    + ", ".join(unnamed))  # fmt: skip
    return result


def _votes(report: Report, tz: str, end_day) -> list[dict]:
    votes = list(dict.fromkeys(report.voting_links))
    if not votes:
        return []
    ends = None
    if end_day:
        ends = dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(), zone(tz))
        report.note(f"the voting links are shown as an announcement until {ends.isoformat()}")
    text = " | ".join(f"[{text}]({href})" for text, href in votes)
    return [{"text_md": text, "link_url": None, "link_text": "", "starts": None,
             "ends": ends.isoformat() if ends else None}]  # fmt: skip


def _images(report: Report, persons: dict, parts: Parts) -> None:
    for key, person in persons.items():
        src = person.pop("_photo", None)
        if src:
            report.images.append(ImageRef(src, "photo", ("people", key)))
    for kind in ("sponsors", "institutions"):
        for i, logo in enumerate(parts.logos[kind]):
            if logo.logo:
                report.images.append(ImageRef(logo.logo, "logo", (kind, i)))


def _counts(workshop: dict, persons: dict) -> dict[str, int]:
    def tree(topics):
        return sum(1 + tree(t["children"]) for t in topics)

    cfp = workshop["cfp"] or {}
    return {
        "schedule items": len(workshop["schedule"]), "papers (orals)": len(workshop["papers"]),
        "speakers": len(workshop["speakers"]), "panelists": len(workshop["panelists"]),
        "organizers": len(workshop["organizers"]),
        "moderators": len(workshop.get("moderators", [])), "people": len(persons),
        "sponsors": len(workshop["sponsors"]), "institutions": len(workshop["institutions"]),
        "important dates": len(workshop["dates"]), "CFP topics": tree(cfp.get("topics", [])),
        "review criteria": len(cfp.get("review_criteria", [])),
        "announcements": len(workshop["announcements"]),
        "conference page link": int(bool(workshop["conference"]["url"])),
    }  # fmt: skip
