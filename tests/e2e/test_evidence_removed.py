"""Evidence whose file the retention policy removed, in real Chromium: the evidence page says so on
the item's line, beside a file still kept and a link, and the removed file's page (answered 410)
says when and why. Both pages accessible."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import expect

from reviews.models import Perspective
from reviews.selfassessment.services import add_file_evidence
from tests.assurance.test_privacy_retention import closed_cycle
from tests.e2e.conftest import axe_violations
from tests.support.evidence import download_url, evidence_url

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("media_root")]


def test_the_evidence_page_and_page_of_a_removed_file_are_accessible(sign_in, page, live_server, personas,
                                                                      console_errors):
    cycle, removed, _link = closed_cycle(personas.home, datetime.date(2019, 3, 1))
    call_command("apply_retention", "--years", "6", "--today", "2025-03-01", stdout=io.StringIO())
    kept = add_file_evidence(cycle=cycle, added_by=personas.staff, added_as=Perspective.STAFF, title="Handover notes",
                             upload=SimpleUploadedFile("handover.txt", b"Handover.\n"), detected_type="text/plain",
                             require_open=False)
    removed.refresh_from_db()
    on = f"{removed.file_removed_at:%-d %B %Y}"
    problems = {}

    sign_in(personas.lead)
    page.goto(live_server.url + evidence_url(cycle))
    main = page.locator("main")
    expect(main).to_contain_text(f"{removed.title} (rota.txt: file removed on {on} under the retention policy)")
    expect(page.get_by_role("link", name=kept.title)).to_be_visible()
    expect(page.get_by_role("link", name="Board minutes")).to_be_visible()
    assert page.get_by_role("link", name=removed.title).count() == 0
    assert page.locator("h1").count() == 1
    problems["evidence"] = axe_violations(page)

    response = page.goto(live_server.url + download_url(removed))
    assert response.status == 410
    expect(page.locator("h1")).to_contain_text("File removed")
    expect(main).to_contain_text(f"was removed on {on} under the retention policy")
    problems["file removed"] = axe_violations(page)
    page.get_by_role("link", name="Back to the evidence").click()
    expect(page).to_have_url(live_server.url + evidence_url(cycle))

    assert problems == {"evidence": [], "file removed": []}
    # The removed file's page answers 410, as it should; nothing else may go wrong.
    assert [error for error in console_errors if "status of 410" not in error] == []
