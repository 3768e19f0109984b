"""The sections' yield put together as one wsapp/1 document: people, roles, dates, schedule."""

import datetime as dt
import re

from wsapp.importers.jekyll import cfp as cfp_parts
from wsapp.importers.jekyll import dates as date_parts
from wsapp.importers.jekyll import program
from wsapp.importers.jekyll.clock import find_dates
from wsapp.importers.jekyll.parts import ROLE_KINDS, Options, PageError, Parts
from wsapp.importers.jekyll.people import person_key, split_caption
from wsapp.importers.jekyll.report import ImageRef, Report
from wsapp.timezones.formats import zone

WORKSHOP_DAY = re.compile(r"workshop|event day|conference day", re.I)
NOT_WORKSHOP_DAY = re.compile(r"deadline|notification|submission|registration|camera", re.I)
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
RESERVED_SLUGS = {"static", "archive", "manage", "login", "logout", "auth", "account", "admin"}
OPENREVIEW_GROUP = re.compile(r"openreview\.net/group\?id=[^/]+/(\d{4})/Workshop/([A-Za-z0-9_-]+)")


def assemble(title, conference, year, tagline, parts: Parts, options: Options, report: Report):
    """The wsapp/1 document for the page: {"format", "people", "workshops": [one]}."""
    parts.dates = _one_per_label(parts.dates, report)
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
        "tagline_md": tagline,
        "description_md": "\n\n".join(parts.description).strip(),
        "conference": {"name": conference, "year": year, "url": conference_url,
                       "link_text": link_text},
        "city": venue.city, "country": venue.country, "venue": "", "room": "",
        "timezone": venue.timezone,
        "start_date": day.isoformat() if day else None,
        "end_date": end_day.isoformat() if end_day else None,
        "contact_email": None, "website_url": None,
        "published": _published(options, report, slug), "featured": False,
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
        twice = []
        for entry in parts.roles[kind]:
            if entry.href and not re.match(r"(https?:|mailto:)", entry.href):
                entry.href = None  # "/talks#thomas_wolf": a place on the old site, not a homepage
            key = entry.key
            if any(r["person"] == key for r in roles[kind]):
                twice.append(entry.name)
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
        if twice:
            names = ", ".join(dict.fromkeys(twice))
            report.note(f"{len(twice)} of the {kind} are listed more than once (on several pages "
                        f"or twice on one): kept once: {names}")  # fmt: skip
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
    if found and re.search(r"\d\s+or\s+\d", found.text):
        report.warn(f"the workshop date is not decided yet ({found.text!r}); read as {day}")
    if day is None and parts.stated_days:
        stated, text = parts.stated_days[0]
        day, end = stated.value, stated.end or stated.value
        report.note(f"the workshop day {day} is the one the home page states ({text!r})")
        if re.search(r"\d\s+or\s+\d|not yet|\bTBD\b", text):
            report.warn(f"the workshop date is not decided yet ({text!r}); read as {day}")
    if day is None:
        named = [d for _, _, heading in parts.tables for d in find_dates(heading, year)]
        if named:  # "### July 27, 2024 (CET)" above the only schedule table
            day, end = named[0].value, max(d.value for d in named)
            report.note(f"the workshop day {day} is the one the schedule's heading names")
    if options.date:
        if day and day != options.date:
            report.warn(f"--date {options.date} replaces the page's workshop date {day}")
        day = end = options.date
    if day and year and day.year != year:
        report.warn(f"the workshop date {day} is not in the conference year {year} (a page "
                    "copied from an earlier edition?); pass --date to correct it")  # fmt: skip
    return day, end


def _one_per_label(items: list, report: Report) -> list:
    """A date given on several pages is kept once: as the page about dates says it, else as
    the first page does; a different value elsewhere is warned about."""
    chosen: dict[str, object] = {}
    for item in items:
        key = item.label.casefold()
        if key not in chosen:
            chosen[key] = item
            continue
        kept = chosen[key]
        if (item.value.day, item.value.time) != (kept.value.day, kept.value.time) or (
            len(item.earlier) != len(kept.earlier)
        ):
            better = item if getattr(item, "page_kind", None) == "dates" else kept
            other = kept if better is item else item
            report.warn(f"important date {item.label!r} is {better.text!r} on one page and "
                        f"{other.text!r} on another; kept {better.text!r}")  # fmt: skip
            chosen[key] = better
    return list(chosen.values())


def _published(options: Options, report: Report, slug: str) -> bool:
    if options.publish is not None:
        return options.publish
    if report.warnings:
        report.draft_reason = (
            f"Stored as a draft: the import has {len(report.warnings)} warnings to check. "
            f"Log in as an organizer of the workshop and open /{slug}/ to preview it, then "
            "publish it in the organizer area, or import again with --publish."
        )
        return False
    return True


def _dates(parts: Parts, tz: str, year, report: Report) -> list[dict]:
    entries = []
    default = parts.deadline_time
    for item in parts.dates:
        if (
            default is not None
            and item.value.time is None
            and item.value.timezone is None
            and (not WORKSHOP_DAY.search(item.label) or NOT_WORKSHOP_DAY.search(item.label))
        ):
            item.value.time, item.value.timezone = default.time, default.timezone
            report.note(f"important date {item.label!r}: the time the page gives for every "
                        "deadline is used")  # fmt: skip
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
