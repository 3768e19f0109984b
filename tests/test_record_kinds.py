"""Every record kind of the organizer area, built by factories on a workshop of its own, works
through the parts its declaration feeds: the list, the edit form, delete and restore, the change
log, per-workshop permissions and the content file."""

import pytest
import yaml
from accounts import csrf_token, login
from factories import MAKERS, make_organizer, make_workshop
from formdata import get_form
from sqlalchemy import select

from wsapp.blueprints.manage.kinds import KINDS
from wsapp.extensions import db
from wsapp.models import Change
from wsapp.services.content.site import dump_site, load_site


def test_every_kind_has_a_factory():
    assert set(MAKERS) == set(KINDS)


@pytest.fixture
def built(app):
    """Per kind: a fresh workshop with one record of it, and an organizer of that workshop."""

    def build(key: str):
        with app.app_context():
            workshop = make_workshop()
            obj = MAKERS[key](workshop)
            email = make_organizer(workshop)
            db.session.commit()
            return workshop.slug, obj.id, obj.describe(), email

    return build


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_list_edit_delete_restore(app, built, key):
    slug, item_id, name, email = built(key)
    client = app.test_client()
    assert login(client, email).status_code == 303
    base = f"/manage/{slug}/{key}"
    listing = client.get(f"{base}/")
    assert listing.status_code == 200 and name in listing.text
    form = get_form(client, f"{base}/{item_id}")
    assert client.post(f"{base}/{item_id}", data=form).status_code == 303  # saved as shown
    token = csrf_token(client, "/manage/")
    assert client.post(f"{base}/{item_id}/delete", data={"csrf_token": token}).status_code == 303
    assert client.get(f"{base}/{item_id}").status_code == 404
    model = KINDS[key].model
    with app.app_context():
        deleted = db.session.scalars(
            select(Change).where(Change.entity == model.__tablename__, Change.entity_id == item_id)
        ).all()[-1]
    assert deleted.action == "delete" and deleted.summary == name
    restore = client.post(
        f"/manage/{slug}/history/{deleted.id}/restore", data={"csrf_token": token}
    )
    assert restore.status_code == 303
    with app.app_context():
        assert db.session.get(model, item_id).describe() == name


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_organizers_of_another_workshop_are_refused(app, built, key):
    slug, item_id, _, _ = built(key)
    _, _, _, stranger = built(key)  # organizer of another workshop only
    client = app.test_client()
    login(client, stranger)
    assert client.get(f"/manage/{slug}/{key}/{item_id}").status_code == 403
    token = csrf_token(client, "/manage/")
    delete = client.post(f"/manage/{slug}/{key}/{item_id}/delete", data={"csrf_token": token})
    assert delete.status_code == 403


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_the_content_file_carries_the_record_and_loads_back_unchanged(app, built, key):
    slug, _, _, _ = built(key)
    with app.app_context():
        first = dump_site()
        workshop = next(w for w in first["workshops"] if w["slug"] == slug)
        record = KINDS[key].record
        lists = list(record.split_by[1]) if record.split_by else [record.key]
        assert sum(len(workshop[name]) for name in lists) == 1
        load_site(yaml.safe_load(yaml.safe_dump(first, allow_unicode=True)))
        db.session.commit()
        assert dump_site() == first
