"""Two app servers on one database and one Redis: what one does, the other sees."""

import pytest
from sqlalchemy import select

from conftest import load_demo
from servers import AppServer, Browser
from wsapp.extensions import db
from wsapp.models import ScheduleItem, Workshop

pytestmark = pytest.mark.multiserver


@pytest.fixture
def two_servers(fresh_app, database_url, redis_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the two-server test runs against PostgreSQL")
    app = fresh_app()
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.remove()
    env = {
        "WSAPP_DATABASE_URL": app.config["DATABASE_URL"],
        "WSAPP_REDIS_URL": redis_url,
        "WSAPP_SECRET_KEY": "two-servers-secret",
        "WSAPP_MEDIA_DIR": app.config["MEDIA_DIR"],
    }
    servers = [AppServer(env), AppServer(env)]
    yield app, servers
    for server in servers:
        server.stop()


def test_cache_invalidation_holds_across_servers(two_servers):
    app, (one, two) = two_servers
    visitor = Browser()
    path = "/bugs-2023/schedule"
    for server in (one, two):
        visitor.request(server.url + path)
    status, headers, _ = visitor.request(two.url + path)
    assert headers["X-Cache"] == "hit"  # Redis holds the page for both servers
    with app.app_context():
        item = db.session.scalars(
            select(ScheduleItem).join(Workshop).where(Workshop.slug == "bugs-2023")
        ).first()
        item.title = "Edited between two servers"
        db.session.commit()
    for server in (one, two):
        status, headers, body = visitor.request(server.url + path)
        assert status == 200 and "Edited between two servers" in body
