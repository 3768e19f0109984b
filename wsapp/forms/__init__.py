"""WTForms forms (Flask-WTF), a module per area; they validate, services save."""

from wsapp.forms import base, cfp, content, people, program, workshop


def form_for(model: type) -> type[base.EditForm]:
    """The edit form of a record kind (the form that declares `model`)."""
    try:
        return base.FORMS[model]
    except KeyError:
        raise LookupError(f"no edit form declares model = {model.__name__}") from None


__all__ = ["base", "cfp", "content", "form_for", "people", "program", "workshop"]
