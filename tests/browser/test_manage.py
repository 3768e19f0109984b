"""In Chromium: an organizer logs in, edits the schedule, reorders speakers, uploads a photo,
restores a sponsor."""

import io
import re

import imagefiles as files
import pytest
from accounts import PASSWORD, make_user
from PIL import Image as PILImage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TALK = "Recent Advances in Backdoor Defense and Benchmark"


@pytest.fixture
def organizer_page(live_server, page):
    with live_server.app.app_context():
        make_user("chair@example.org", workshops=["bugs-2023"])
    page.goto(live_server.url + "/bugs-2023/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail").fill("chair@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My workshops")).to_be_visible()
    return page


def test_edit_schedule_title_and_see_it_on_the_site(live_server, organizer_page):
    page = organizer_page
    page.get_by_role("link", name=re.compile("Backdoors in Deep Learning")).first.click()
    page.get_by_role("link", name="Schedule").first.click()
    page.get_by_role("link", name=TALK, exact=True).click()
    page.get_by_label("Title").fill("Backdoor defenses, revisited")
    page.get_by_label("Abstract").fill("**Strong** words")
    # the live preview shows what the page will render
    expect(page.locator("#preview-abstract_md strong")).to_have_text("Strong")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    page.goto(live_server.url + "/bugs-2023/schedule")
    expect(page.get_by_text("Backdoor defenses, revisited")).to_be_visible()


def test_inline_validation_when_leaving_a_field(live_server, organizer_page):
    page = organizer_page
    page.goto(live_server.url + "/manage/bugs-2023/sponsors/new")
    page.get_by_label("Web address").fill("not a web address")
    page.get_by_label("Name").focus()  # leaving the field fires its change event
    expect(page.locator("#field-url .errors")).to_contain_text("Give a full web address")


def test_reorder_speakers(live_server, organizer_page):
    page = organizer_page
    page.goto(live_server.url + "/manage/bugs-2023/people/")
    names = page.locator("#item-list ol").first.locator(".record-name").all_inner_texts()
    page.get_by_role("button", name=f"Move {names[1]} up").click()
    first = page.locator("#item-list ol").first.locator(".record-name").first
    expect(first).to_have_text(names[1])  # swapped in place by htmx
    assert page.url.endswith("/manage/bugs-2023/people/")
    page.goto(live_server.url + "/bugs-2023/speakers")
    cards = page.locator("#speakers .person-name").all_inner_texts()
    people = [n.removesuffix(" (speaker)") for n in names]
    assert cards[:2] == [people[1], people[0]]


def test_delete_and_restore_a_sponsor(live_server, organizer_page):
    page = organizer_page
    page.goto(live_server.url + "/manage/bugs-2023/sponsors/")
    sponsor = page.locator(".record-name").first.inner_text()
    page.get_by_role("link", name=f"Delete {sponsor}").click()
    expect(page.get_by_role("heading", name=f"Delete “{sponsor}”?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(".flash-success")).to_contain_text("Deleted")
    page.goto(live_server.url + "/bugs-2023/organizers")
    expect(page.locator("#sponsors")).not_to_contain_text(sponsor)
    page.goto(live_server.url + "/manage/bugs-2023/history")
    deleted = page.locator("section", has=page.get_by_role("heading", name="Recently deleted"))
    deleted.locator(".record", has_text=sponsor).get_by_role("button", name="Restore").click()
    expect(page.locator(".flash-success")).to_contain_text("Restored")
    page.goto(live_server.url + "/bugs-2023/organizers")
    expect(page.locator("#sponsors")).to_contain_text(sponsor)


def test_upload_a_speaker_photo_and_see_it_on_the_site(live_server, organizer_page, new_context):
    page = organizer_page
    page.goto(live_server.url + "/manage/bugs-2023/people/")
    speaker = page.locator("#item-list ol").first.locator(".record-name").first
    name = speaker.inner_text().removesuffix(" (speaker)")
    speaker.click()
    photo = files.phone_photo()  # 6000 x 6000, stored sideways, with EXIF GPS, XMP and ICC
    page.get_by_label("Photo", exact=True).set_input_files(
        {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": photo}
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.get_by_role("img", name="Current image: Photo")).to_be_visible()
    expect(page.get_by_label("Remove the photo")).not_to_be_checked()

    # a visitor with a 2x screen: the browser picks the 2x rendition and transfers it
    context = new_context(device_scale_factor=2)
    try:
        visitor = context.new_page()
        visitor.goto(live_server.url + "/bugs-2023/speakers")
        card = visitor.locator(
            "#speakers li.person", has=visitor.locator(".person-name", has_text=name)
        )
        img = card.locator("img.avatar")
        img.scroll_into_view_if_needed()
        expect(img).to_have_attribute("loading", "lazy")
        visitor.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
        # naturalWidth is in CSS pixels: the 2x file's 320 pixels divided by its density
        shown = img.evaluate("i => [i.currentSrc, i.naturalWidth, i.width, i.height]")
        srcset = dict(reversed(c.split()) for c in img.get_attribute("srcset").split(", "))
        assert shown == [live_server.url + srcset["2x"], 160, 160, 160]
        transferred = visitor.evaluate(
            "url => performance.getEntriesByName(url)[0].encodedBodySize", shown[0]
        )
        assert 0 < transferred <= 40 * 1024
    finally:
        context.close()

    response = page.request.get(live_server.url + srcset["2x"])
    assert response.ok and response.headers["content-type"] == "image/webp"
    body = response.body()
    assert len(body) == transferred and len(body) <= 40 * 1024
    assert not any(m.encode() in body for m in (files.GPS_MARKER, files.EXIF_MARKER))
    rendition = PILImage.open(io.BytesIO(body))
    assert rendition.size == (320, 320) and not rendition.getexif()
    # upright: the stored-sideways photo was turned by its EXIF orientation
    assert rendition.convert("RGB").getpixel((40, 40))[0] > 150  # red: the top-left quadrant
