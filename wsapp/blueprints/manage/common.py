"""What the organizer-area views share: the one edit page (fill, save, 409/422), field fragments."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from wsapp import htmx
from wsapp.extensions import db
from wsapp.htmx import render
from wsapp.services import editing
from wsapp.timezones.formats import known_zones


@dataclass
class EditPage:
    """An organizer edit page: the form, the record it edits, and how to show the page."""

    form: object
    obj: object
    workshop: object | None
    title: str
    validate_url: str | None
    done_url: Callable[[object], str]  # where a successful save goes, given the saved record
    context: dict = field(default_factory=dict)  # for the template: kind, entity

    def show(self, status: int = 200):
        return form_page(
            self.form, self.title, self.workshop, self.validate_url, status=status,
            obj=self.obj, **self.context,
        )  # fmt: skip


def edit(page: EditPage, saved_message: str | None = None):
    """GET shows the form filled from the record; POST validates, saves, commits once, redirects.

    A stale version (someone saved since this form was opened) is refused with 409: the form
    keeps the input, lists what the other save changed and carries the current version, so saving
    again is a deliberate choice, never a silent overwrite. Invalid input answers 422. An upload
    is stored only by a save that succeeds; otherwise its field says to choose the file again.
    """
    form, obj = page.form, page.obj
    if request.method == "GET":
        if obj.id is not None:
            form.fill(obj, page.workshop)
            form.version.data = str(obj.version or "")
        return page.show()
    status = _save(form, obj, page.workshop)
    if status is None:
        flash(saved_message or _("Saved."), "success")
        return htmx.redirect(page.done_url(obj))
    form.note_unsaved_uploads()
    if status == 409:
        flash(conflict_message(), "error")
    if obj.id is not None:
        page.obj = db.session.get(type(obj), obj.id)
    return page.show(status)


def _save(form, obj, workshop) -> int | None:
    """None when saved and committed; else the status to answer with (422 or 409)."""
    if not form.validate_on_submit():
        return 422
    changes = form.edit(workshop)
    if changes is None:
        return 422
    try:
        editing.save(obj, changes, workshop)
        db.session.commit()
    except editing.Invalid as refusal:
        db.session.rollback()
        form.refuse(refusal)
        return 422
    except IntegrityError:
        db.session.rollback()
        form.form_errors.append(
            _(
                "This clashes with a record saved meanwhile (for example the "
                "same address name). Check and save again."
            )
        )
        return 422
    except (editing.Conflict, StaleDataError):
        db.session.rollback()
        _mark_conflict(form, db.session.get(type(obj), obj.id), workshop)
        return 409
    return None


def _mark_conflict(form, current, workshop) -> None:
    shown = type(form)(formdata=None, record=current, workshop=workshop, **form.extra_kwargs())
    shown.fill(current, workshop)
    form.conflicts = [
        (form[name].label.text, _shown(shown[name]))
        for name in form.field_names()
        if name in shown and str(_shown(shown[name])) != str(_shown(form[name]))
    ]
    form.version.data = str(current.version)


def _shown(field):
    """A field's value as the form shows it (a select has no text value: its data)."""
    return field._value() if hasattr(field, "_value") else field.data


def conflict_message() -> str:
    return _(
        "Someone else saved this since you opened it. Your input is kept below; the values "
        "they saved are listed. Save again to replace them with yours."
    )


def form_page(form, title: str, workshop, validate_url: str, status: int = 200, **context):
    """The edit page; invalid input answers 422 so a test or script can tell it apart."""
    form.show_current(context.get("obj"))
    return render(
        "manage/form.html",
        status=status,
        form=form,
        title=title,
        workshop=workshop,
        validate_url=validate_url,
        zones=sorted(known_zones()),
        **context,
    )


def field_fragment(form, workshop, validate_url: str):
    """One field with its errors, for the inline check when a field is left (htmx)."""
    if form.validate():
        form.values(workshop)
    name = request.form.get("_field", "")
    if name not in form.field_names() or name in {f.name for f in form.upload_fields()}:
        return "", 204  # a file input is checked on saving: swapping it in would drop the file
    return render_template(
        "manage/field.html",
        form=form,
        field=form[name],
        validate_url=validate_url,
        workshop=workshop,
    )


def preview_url(workshop) -> str:
    return url_for("manage_history.preview", slug=workshop.slug)
