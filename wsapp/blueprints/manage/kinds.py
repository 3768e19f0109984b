"""The kinds of records the organizer area lists and edits: every record kind that declares
`manage` (models/record.py), with the edit form that declares its model (forms/base.py)."""

from dataclasses import dataclass

from flask_babel import get_locale
from sqlalchemy import select

from wsapp.extensions import db
from wsapp.forms import form_for
from wsapp.models.record import Record, by_key


@dataclass(frozen=True)
class Kind:
    model: type

    @property
    def record(self) -> Record:
        return self.model.__record__

    @property
    def key(self) -> str:
        return self.record.key

    @property
    def singular(self):
        return self.record.singular

    @property
    def plural(self):
        return self.record.plural

    @property
    def orderable(self) -> bool:
        return self.record.orderable

    @property
    def form(self) -> type:
        return form_for(self.model)

    @property
    def public_endpoint(self) -> str:
        return self.record.page

    @property
    def list_endpoint(self) -> str:
        return self.record.list_page or self.record.page

    def public_args(self, obj) -> dict:
        return self.record.page_args(obj)

    def items(self, workshop) -> list:
        query = select(self.model).where(self.model.workshop_id == workshop.id)
        return db.session.scalars(query.order_by(*self.record.order_by(), self.model.id)).all()

    def group(self, obj, workshop) -> str:
        return obj.list_group(workshop, str(get_locale()))

    def detail(self, obj, workshop) -> str:
        return obj.list_detail(workshop, str(get_locale()))

    def siblings(self, obj, workshop) -> list:
        """The records `obj` moves among: those of its section of the list."""
        mine = self.group(obj, workshop)
        return [i for i in self.items(workshop) if self.group(i, workshop) == mine]


KINDS = {key: Kind(model) for key, model in by_key().items()}
ENTITY_KINDS = {kind.model.__tablename__: kind for kind in KINDS.values()}
