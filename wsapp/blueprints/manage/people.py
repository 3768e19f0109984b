"""The people shared by every workshop, for site admins.

GET /manage/people/                  everyone the site knows, with the workshops that list them
GET|POST /manage/people/<person_id>  a person's canonical name, homepage and photo

A person's values are the defaults a new role starts from; each workshop's pages show what its
roles hold, so a change here does not change any page (docs/organizers.md).
"""

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wsapp.blueprints.manage.common import EditPage, edit
from wsapp.extensions import db
from wsapp.forms.people import PersonForm
from wsapp.htmx import render
from wsapp.models import Person, Role
from wsapp.permissions import admin_required

bp = Blueprint("manage_people", __name__, url_prefix="/manage/people")


@bp.get("/")
@admin_required
def index():
    people = db.session.scalars(
        select(Person)
        .options(selectinload(Person.roles).joinedload(Role.workshop))
        .order_by(Person.name, Person.id)
    ).all()
    return render("manage/people.html", people=people)


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@admin_required
def edit_person(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    page = EditPage(
        form=PersonForm(record=person),
        obj=person,
        workshop=None,
        title=_("Person shared by every workshop"),
        validate_url=None,
        done_url=lambda saved: url_for(".edit_person", person_id=saved.id),
        context={"describe": lambda p: p.name, "shared_person": True},
    )
    return edit(page)
