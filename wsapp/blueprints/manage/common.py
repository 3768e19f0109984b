"""What the organizer-area views share: saving a form with optimistic locking, field fragments."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from wsapp.extensions import db
from wsapp.htmx import render
from wsapp.timezones.formats import known_zones


def save_form(form, obj, workshop, is_new: bool, prepare=None) -> str | None:
    """Validate, check the version, save and commit; None on success, else "invalid"/"conflict".

    A stale version (someone saved since this form was opened) is refused: the form keeps the
    input, lists what the other save changed and carries the current version, so saving again
    is a deliberate choice, never a silent overwrite. An upload is stored only by a save that
    succeeds; otherwise its field says to choose the file again.
    """
    outcome = _save(form, obj, workshop, is_new, prepare)
    if outcome is not None:
        form.note_unsaved_uploads()
    return outcome


def _save(form, obj, workshop, is_new: bool, prepare) -> str | None:
    if not form.validate_on_submit():
        return "invalid"
    if not is_new and form.version.data != str(obj.version):
        _mark_conflict(form, obj, workshop)
        return "conflict"
    if is_new:
        if prepare:
            prepare(obj)
        db.session.add(obj)
    with db.session.no_autoflush:
        saved = form.save(obj, workshop)
    if not saved:
        db.session.rollback()
        if not form.errors:  # every refusal names its reason
            form.form_errors.append(_("This could not be saved; check the fields."))
        return "invalid"
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.form_errors.append(
            _(
                "This clashes with a record saved meanwhile (for example the "
                "same address name). Check and save again."
            )
        )
        return "invalid"
    except StaleDataError:
        db.session.rollback()
        fresh = db.session.get(type(obj), obj.id)
        _mark_conflict(form, fresh, workshop)
        return "conflict"
    return None


def _mark_conflict(form, current, workshop) -> None:
    shown = type(form)(formdata=None, **getattr(form, "init_kwargs", {}))
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
    if name not in form.field_names() or name in {f.name for f in form.image_fields()}:
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
