"""Your emails in real Chromium: a person turns a reminder off with the keyboard alone; the page
passes axe before and after."""

from playwright.sync_api import expect

from reviews.notices.models import NoticeOptOut
from tests.e2e.conftest import axe_violations


def test_a_person_turns_a_reminder_off_with_the_keyboard(sign_in, page, live_server, personas, console_errors):
    sign_in(personas.staff)
    page.goto(f"{live_server.url}/cycles/emails/")
    before = axe_violations(page)

    page.get_by_label("Your service's self-assessment is due soon or overdue").press("Space")
    page.get_by_role("button", name="Save").press("Enter")

    expect(page.locator("main")).to_contain_text("Your choice of emails is saved.")
    assert list(NoticeOptOut.objects.filter(user=personas.staff).values_list("kind", flat=True)) == [
        "self_assessment_due"]
    assert (before, axe_violations(page)) == ([], [])
    assert console_errors == []
