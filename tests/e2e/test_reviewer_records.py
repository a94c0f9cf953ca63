"""Reviewers' records in real Chromium: the administrators' reviewers, one reviewer's record and the
reciprocity ledger; a reviewer's own record with a refused time unavailable; a conflict of interest
with a whole organisation. Every page accessible."""

import datetime

from playwright.sync_api import expect

from assurance.models import ReviewerRecord, Unavailability
from tests.e2e.conftest import axe_violations


def sign_in_as(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(user)


def test_reviewer_record_pages_are_accessible(sign_in, page, live_server, personas, console_errors, today):
    ReviewerRecord.objects.create(user=personas.reviewer, trained_on=today - datetime.timedelta(days=90),
                                  vetting="Prison vetting", vetting_expires_on=today + datetime.timedelta(days=30))
    Unavailability.objects.create(user=personas.reviewer, starts_on=today + datetime.timedelta(days=10),
                                  ends_on=today + datetime.timedelta(days=12), note="Leave")
    problems = {}

    def check(name, path, *expected):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, name
        for words in expected:
            expect(page.locator("main")).to_contain_text(words)
        found = axe_violations(page)
        if found:
            problems[name] = found

    sign_in(personas.admin)
    check("reviewers", "/cycles/reviewers/", "Prison vetting, expires in 4 weeks", "not trained")
    check("one reviewer", f"/cycles/reviewers/{personas.reviewer.pk}/", "Leave", "Change the record")
    check("reciprocity", "/cycles/reviewers/reciprocity/", "Kestrel Wing")

    sign_in_as(page, sign_in, personas.reviewer)
    check("own record", "/cycles/your-reviewer-record/", "When you cannot visit")
    page.fill("#id_starts_on", (today + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=29)).isoformat())
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Until: the last day cannot be before the first.")
    found = axe_violations(page)
    if found:
        problems["own record, refused"] = found

    check("conflicts", "/cycles/conflicts-of-interest/", "Or a whole organisation")
    page.select_option("#id_organisation", personas.home.organisation.slug)
    page.fill("#id_reason", "I worked for them until last year.")
    page.get_by_role("button", name="Declare").click()
    expect(page.locator("main")).to_contain_text("(the whole organisation: every service it runs)")

    assert problems == {}
    # The refused form answers 400, as every refused form of the site does; nothing else may go wrong.
    assert [error for error in console_errors if "status of 400" not in error] == []
