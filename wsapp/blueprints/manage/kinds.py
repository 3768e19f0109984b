"""The kinds of records the organizer area lists and edits, declared once (pretalx style)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.forms.cfp import ImportantDateForm
from wsapp.forms.content import AnnouncementForm, InstitutionForm, NewsPostForm, SponsorForm
from wsapp.forms.people import RoleForm
from wsapp.forms.program import PaperForm, ScheduleItemForm
from wsapp.models import (
    Announcement,
    ImportantDate,
    Institution,
    NewsPost,
    Paper,
    Role,
    RoleKind,
    ScheduleItem,
    Sponsor,
)
from wsapp.timezones import formats as timefmt

ROLE_ORDER = [RoleKind.SPEAKER, RoleKind.PANELIST, RoleKind.MODERATOR, RoleKind.ORGANIZER]
ROLE_GROUPS = {
    RoleKind.SPEAKER: _l("Speakers"),
    RoleKind.PANELIST: _l("Panelists"),
    RoleKind.MODERATOR: _l("Moderators"),
    RoleKind.ORGANIZER: _l("Organizers"),
}


@dataclass
class Kind:
    key: str
    model: type
    form: type
    singular: object
    plural: object
    public_endpoint: str
    order_by: Callable[[], tuple]
    detail: Callable = lambda obj, workshop: ""
    group: Callable | None = None  # list sections; moves stay inside one
    orderable: bool = False
    form_kwargs: Callable = field(default=lambda obj, workshop: {})

    def items(self, workshop) -> list:
        query = select(self.model).where(self.model.workshop_id == workshop.id)
        items = db.session.scalars(query.order_by(*self.order_by(), self.model.id)).all()
        if self.key == "people":
            items.sort(key=lambda r: ROLE_ORDER.index(r.kind))
        return items

    def siblings(self, obj, workshop) -> list:
        items = self.items(workshop)
        if self.group is None:
            return items
        mine = self.group(obj, workshop)
        return [i for i in items if self.group(i, workshop) == mine]

    def public_args(self, obj) -> dict:
        return {"post": obj.slug} if self.key == "news" else {}


def _local(instant, workshop) -> str:
    if instant is None:
        return ""
    return timefmt.format_day_time(timefmt.to_zone(instant, workshop.timezone), str(get_locale()))


def _clock(instant, workshop) -> str:
    return timefmt.format_clock(timefmt.to_zone(instant, workshop.timezone), str(get_locale()))


def _day(item, workshop) -> str:
    local = timefmt.to_zone(item.start_dt, workshop.timezone)
    return timefmt.format_day(local.date(), str(get_locale()))


KINDS = {
    kind.key: kind
    for kind in [
        Kind(
            "schedule",
            ScheduleItem,
            ScheduleItemForm,
            _l("schedule item"),
            _l("Schedule"),
            "schedule.index",
            lambda: (ScheduleItem.start_dt, ScheduleItem.sort_order),
            detail=lambda o, w: f"{_local(o.start_dt, w)} – {_clock(o.end_dt, w)}",
            group=_day,
            orderable=True,
            form_kwargs=lambda o, w: {"workshop_id": w.id, "item": o},
        ),
        Kind(
            "people",
            Role,
            RoleForm,
            _l("person"),
            _l("People"),
            "people.speakers",
            lambda: (Role.sort_order,),
            detail=lambda o, w: o.caption,
            group=lambda o, w: str(ROLE_GROUPS[o.kind]),
            orderable=True,
            form_kwargs=lambda o, w: {"role": o, "workshop_id": w.id},
        ),
        Kind(
            "papers",
            Paper,
            PaperForm,
            _l("paper"),
            _l("Papers"),
            "schedule.index",
            lambda: (Paper.sort_order,),
            detail=lambda o, w: o.authors[:120],
            orderable=True,
        ),
        Kind(
            "dates",
            ImportantDate,
            ImportantDateForm,
            _l("important date"),
            _l("Important dates"),
            "cfp.index",
            lambda: (ImportantDate.sort_order,),
            detail=lambda o, w: timefmt.format_deadline(
                o.due_dt, o.due_date, o.timezone, str(get_locale())
            ),
            orderable=True,
        ),
        Kind(
            "sponsors",
            Sponsor,
            SponsorForm,
            _l("sponsor"),
            _l("Sponsors"),
            "people.organizers",
            lambda: (Sponsor.sort_order,),
            detail=lambda o, w: o.url or "",
            orderable=True,
        ),
        Kind(
            "institutions",
            Institution,
            InstitutionForm,
            _l("institution"),
            _l("Institutions"),
            "people.organizers",
            lambda: (Institution.sort_order,),
            detail=lambda o, w: o.url or "",
            orderable=True,
        ),
        Kind(
            "news",
            NewsPost,
            NewsPostForm,
            _l("news post"),
            _l("News"),
            "news.post",
            lambda: (NewsPost.published_dt.desc(),),
            detail=lambda o, w: _local(o.published_dt, w),
            form_kwargs=lambda o, w: {"post_id": o.id, "workshop_id": w.id},
        ),
        Kind(
            "announcements",
            Announcement,
            AnnouncementForm,
            _l("announcement"),
            _l("Announcements"),
            "home.index",
            lambda: (Announcement.id,),
            detail=lambda o, w: " – ".join(
                x for x in (_local(o.starts_dt, w), _local(o.ends_dt, w)) if x
            ),
        ),
    ]
}
ENTITY_KINDS = {kind.model.__tablename__: kind for kind in KINDS.values()}
