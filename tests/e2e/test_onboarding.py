"""Onboarding in real Chromium: a network administrator checks a file with a mistake, then a good
one, and imports it; the invited person sets their password from the emailed link. Every page
passes axe and works with the keyboard."""

import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import expect

from assurance.models import User
from tests.assurance.onboarding_files import csv_bytes, row
from tests.e2e.conftest import axe_violations

GOOD = [
    row("HMP Northfield", "Heron Wing", "Prison wing", "North West", "yes"),
    row("HMP Northfield", "Heron Wing", first="Amara", last="Okafor", email="amara@example.org", role="service lead"),
]
BAD = [*GOOD, row("HMP Northfield", "Heron Wing", first="Jo", last="Bloggs", email="jo@", role="staff")]


def choose_and_check(page, tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Check the file").press("Enter")


def test_an_administrator_imports_a_file_and_the_newcomer_sets_a_password(
        sign_in, page, live_server, personas, tmp_path, console_errors):
    problems = {}

    def audit(name):
        found = axe_violations(page)
        if found:
            problems[name] = found

    sign_in(personas.admin)
    page.goto(f"{live_server.url}/network/import/")
    audit("import page")

    choose_and_check(page, tmp_path, "with-a-mistake.csv", BAD)
    expect(page.locator("main")).to_contain_text("Line 4, email: “jo@” is not an email address.")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)
    audit("a file with a mistake")

    choose_and_check(page, tmp_path, "network.csv", GOOD)
    expect(page.locator("main")).to_contain_text("What importing network.csv will change")
    audit("the check of a good file")
    page.get_by_role("button", name="Import").press("Enter")
    expect(page.locator("main")).to_contain_text(
        "The file is imported: 1 organisation, 1 service, 1 person, 1 role added; no changes to existing records. "
        "1 invitation sent.")
    assert User.objects.filter(email="amara@example.org").exists()

    [invitation] = mail.outbox
    link = re.search(r"http://\S+/invitation/\S+/", invitation.body).group(0)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{urlsplit(link).path}")
    expect(page.locator("h1")).to_have_text("Set your password")
    audit("setting a password")
    page.locator("#id_new_password1").fill("walk-alongside-2027")
    page.locator("#id_new_password2").fill("walk-alongside-2027")
    page.get_by_role("button", name="Set my password and sign in").press("Enter")
    expect(page.locator("h1")).to_contain_text("Amara Okafor")

    assert problems == {}
    assert [error for error in console_errors if "status of 400" not in error] == []
