"""Changes the organizer area makes beyond setting fields: order, presenters, deadlines."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from wsapp.extensions import db
from wsapp.models import ImportantDate, MovedDeadline, ScheduleItem
from wsapp.models.program import presenters as presenters_table
from wsapp.timezones.formats import to_zone


class MoveError(ValueError):
    """The item cannot move that way; the message says why."""


def next_sort_order(model, workshop_id: int, **filters) -> int:
    query = select(func.max(model.sort_order)).where(model.workshop_id == workshop_id)
    for key, value in filters.items():
        query = query.where(getattr(model, key) == value)
    current = db.session.scalar(query)
    return 0 if current is None else current + 1


def move(obj, siblings: list, step: int) -> None:
    """Swap `obj` with its neighbour in `siblings` (already in display order); step is -1 or 1."""
    index = siblings.index(obj)
    other = index + step
    if not 0 <= other < len(siblings):
        raise MoveError(
            _l("it is already at the top") if step < 0 else _l("it is already at the bottom")
        )
    for position, sibling in enumerate(siblings):
        if sibling.sort_order != position:
            sibling.sort_order = position
    neighbour = siblings[other]
    obj.sort_order, neighbour.sort_order = neighbour.sort_order, obj.sort_order


def move_schedule_item(item: ScheduleItem, items: list[ScheduleItem], tz: str, step: int) -> None:
    """Swap a schedule item with its neighbour on the same venue day: they trade time slots.

    The earlier of the two starts where the pair started, each keeps its own length, and the
    gap between them stays; so moving "Invited Talk 3" up puts it before "Invited Talk 2".
    """
    index = items.index(item)
    other = index + step
    if not 0 <= other < len(items):
        raise MoveError(
            _l("it is already the first item") if step < 0 else _l("it is already the last item")
        )
    first, second = sorted((item, items[other]), key=items.index)
    if to_zone(first.start_dt, tz).date() != to_zone(second.start_dt, tz).date():
        raise MoveError(
            _l("items move only within their day; change the time to move it to another")
        )
    gap = second.start_dt - first.end_dt
    start = first.start_dt
    first_len, second_len = first.end_dt - first.start_dt, second.end_dt - second.start_dt
    second.start_dt, second.end_dt = start, start + second_len
    first.start_dt = second.end_dt + gap
    first.end_dt = first.start_dt + first_len
    first.block, second.block = second.block, first.block
    first.sort_order, second.sort_order = second.sort_order, first.sort_order


def set_presenters(item: ScheduleItem, people: list) -> None:
    """Set the presenters in this order (the link table keeps the order the ORM does not)."""
    item.presenters = list(people)
    db.session.flush()
    for position, person in enumerate(people):
        db.session.execute(
            update(presenters_table)
            .where(
                presenters_table.c.item_id == item.id,
                presenters_table.c.person_id == person.id,
            )
            .values(sort_order=position)
        )
    db.session.expire(item, ["presenters"])


def move_deadline(date: ImportantDate, old_due_dt, old_due_date, old_timezone: str) -> None:
    """Keep the value a date had before it moved, so the page strikes it through."""
    if old_due_dt is None and old_due_date is None:
        return
    date.earlier.append(
        MovedDeadline(due_dt=old_due_dt, due_date=old_due_date, timezone=old_timezone)
    )
