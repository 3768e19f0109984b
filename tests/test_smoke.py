"""Every public page answers, and unknown or draft pages are a friendly 404."""

import pytest
from pages import SITE_PAGES, workshop_pages
from sqlalchemy import update

from wsapp.extensions import db
from wsapp.models import Workshop

PAGES = SITE_PAGES + workshop_pages("bugs-2023") + workshop_pages("synthetic-2024")


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_answer(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.data[:500]


def test_news_post(client):
    response = client.get("/bugs-2023/news/neurips-workshop-backdoors-in-deep-learning")
    assert response.status_code == 200
    assert "Leaarning" in response.text


@pytest.mark.parametrize("path", ["/nope/", "/bugs-2023/nope", "/bugs-2023/news/nope"])
def test_unknown_is_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_draft_workshop_is_404_for_public(app, client):
    with app.app_context():
        db.session.execute(
            update(Workshop).where(Workshop.slug == "bugs-2023").values(is_published=False)
        )
        db.session.commit()
    for page in ("", "schedule", "speakers", "cfp"):
        assert client.get(f"/bugs-2023/{page}").status_code == 404
    assert b"bugs-2023" not in client.get("/sitemap.xml").data
    assert b"Backdoors in Deep Learning" not in client.get("/archive").data


def test_root_shows_featured_edition(client):
    response = client.get("/")
    assert "AI in the Synthetic Age" in response.text
    assert '<link rel="canonical" href="http://wsapp.test/synthetic-2024/">' in response.text


def test_head_has_seo_tags(client):
    html = client.get("/bugs-2023/schedule").text
    assert "<title>Schedule · Backdoors in Deep Learning @ NeurIPS 2023</title>" in html
    assert '<meta name="description" content="The Good, the Bad and the Ugly - Modern AI' in html
    assert '<meta property="og:title" content="Schedule · Backdoors' in html
    assert '<link rel="canonical" href="http://wsapp.test/bugs-2023/schedule">' in html


def test_sitemap_lists_pages(client):
    xml = client.get("/sitemap.xml").text
    assert "<loc>http://wsapp.test/bugs-2023/schedule</loc>" in xml
    assert "<loc>http://wsapp.test/synthetic-2024/cfp</loc>" in xml
    assert "news/neurips-workshop-backdoors-in-deep-learning</loc>" in xml
    assert "Sitemap: http://wsapp.test/sitemap.xml" in client.get("/robots.txt").text


def test_server_error_page_hides_the_trace(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret detail" not in response.text and "Traceback" not in response.text
