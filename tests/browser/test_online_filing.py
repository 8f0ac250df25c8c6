"""Files for online filing, in a real browser: the owner renders a draft, sets the file-size limit on the packet page
and downloads the ZIP; a limit out of range gets a plain message. axe-core checks both pages."""

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from packets.models import PacketVersion
from packets.rendering.versions import packet_render
from tests.browser.conftest import DESKTOP
from tests.builders import make_photo_packet, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def owner_page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-US", accept_downloads=True)
    context.set_default_timeout(30_000)
    expect.set_options(timeout=15_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_the_owner_downloads_the_packet_split_under_the_limit_they_chose(
    owner_page: Page, axe: Any, screenshot: Any
) -> None:
    owner = make_user("ana")
    version: PacketVersion = packet_render(packet=make_photo_packet(owner), final=False, by=owner)
    page = owner_page
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.goto(f"/packets/{version.packet_id}/")
    limit = page.get_by_label("Largest file, in MB")
    expect(limit).to_have_value("12")
    axe.check(page, "packet page with a rendered version")
    screenshot(page, "online-filing-packet-page")

    limit.fill("0.19")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download files for online filing (ZIP)").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as archive:
        names = archive.namelist()
    assert names[0] == "00-index.txt"
    assert names[1:] == [
        "01-cover-contents-narrative-exhibit-index.pdf",
        "02-exhibit-A-passport.pdf",
        "03-exhibit-B-site-photos-part-1-of-2.pdf",
        "04-exhibit-B-site-photos-part-2-of-2.pdf",
        "05-exhibit-C-training-certificate-checklist.pdf",
    ]

    page.goto(f"/packets/{version.packet_id}/")
    page.get_by_label("Largest file, in MB").fill("500")
    page.get_by_role("button", name="Download files for online filing (ZIP)").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the largest file size as a number of megabytes")
    axe.check(page, "online filing, a bad limit")
    screenshot(page, "online-filing-bad-limit")
    axe.assert_clean()
