"""Who may do what, as decorators stacked on views: the policy is visible on the route."""

from functools import wraps

from flask import abort, request, url_for
from flask_login import current_user

from wsapp import audit, htmx
from wsapp.extensions import db, login_manager
from wsapp.models import User, Workshop
from wsapp.services.accounts import can_manage


def init_login() -> None:
    """Tell Flask-Login how to load a user and where to send visitors who must log in."""
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)


def _load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


def _unauthorized():
    return to_login()


def to_login():
    """Send an anonymous visitor to the log-in page and back (htmx gets HX-Redirect)."""
    target = request.full_path if request.method == "GET" else request.referrer or request.path
    return htmx.redirect(url_for("auth.login", next=safe_next(target)))


def safe_next(target: str | None) -> str | None:
    """Only a local path is a safe place to return to after logging in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target.rstrip("?") or None


def admin_required(view):
    """Site admins only: anonymous visitors go to log in, everyone else gets 403.

    (Logging in alone is Flask-Login's `login_required`, which ends in `to_login` too.)
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return to_login()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def organizer_required(view):
    """The workshop from the URL's `slug` (404), for its organizers and site admins (403)."""

    @wraps(view)
    def wrapped(*args, slug: str, **kwargs):
        if not current_user.is_authenticated:
            return to_login()
        workshop = db.session.scalar(db.select(Workshop).where(Workshop.slug == slug))
        if workshop is None:
            abort(404)
        if not can_manage(current_user, workshop):
            abort(403)
        audit.acting_for(workshop)
        return view(*args, workshop=workshop, **kwargs)

    return wrapped
