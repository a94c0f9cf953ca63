"""The import page for network administrators, and `manage.py import_network`."""

import re
import subprocess
import sys

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assurance.models import AccountInvitation, Role, Service, User
from tests.assurance.onboarding_files import csv_bytes, row, table_counts, xlsx_bytes
from tests.support.pages import messages_on, table, text
from tests.support.personas import PERSONA_NAMES

pytestmark = pytest.mark.django_db

URL = reverse("network-import")
ROWS = [
    row("HMP Northfield", "Heron Wing", "Prison wing", "North West", "yes"),
    row("HMP Northfield", "Heron Wing", first="Amara", last="Okafor", email="amara@example.org", role="service lead"),
    row(first="Hannah", last="Brook", email="hannah@example.org", role="lead reviewer", vetting="NPPV level 2",
        expires="2027-11-30"),
]


def upload(client, data, name="network.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def checked_digest(response):
    return re.search(r'name="checked" value="([0-9a-f]{64})"', response.content.decode()).group(1)


@pytest.fixture
def admin_client(client_for, personas):
    return client_for(personas.admin)


def test_an_administrator_checks_a_file_sees_what_will_change_then_imports_it(admin_client, personas):
    before = table_counts()
    checked = upload(admin_client, csv_bytes(ROWS))
    assert checked.status_code == 200
    assert table_counts() == before, "checking wrote something"
    page = text(checked)
    assert "What importing network.csv will change" in page
    assert "Services to add 1" in page and "People to add 2" in page and "Roles to add 2" in page
    assert "Reviewer records to add 1" in page and "Regions to add 1: North West" in page
    assert table(checked, "Services to add") == ["2 Heron Wing HMP Northfield Prison wing North West Yes"]

    imported = admin_client.post(URL, {"checked": checked_digest(checked), "invite": "on"}, follow=True)

    assert messages_on(imported) == [
        "The file is imported: 1 organisation, 1 service, 2 people, 2 roles added; no changes to existing records. "
        "2 invitations sent."
    ]
    assert Service.objects.filter(name="Heron Wing", is_secure_setting=True).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["amara@example.org", "hannah@example.org"]
    assert set(AccountInvitation.objects.values_list("invited_by", flat=True)) == {personas.admin.pk}
    # The checked file is used once: pressing Import again asks for the file.
    again = admin_client.post(URL, {"checked": checked_digest(checked), "invite": "on"})
    assert again.status_code == 400
    assert "Choose the file and check it again" in text(again)


def test_an_xlsx_file_is_checked_and_imported_without_invitations(admin_client):
    checked = upload(admin_client, xlsx_bytes(ROWS), "network.xlsx")
    assert checked.status_code == 200
    admin_client.post(URL, {"checked": checked_digest(checked)})
    assert User.objects.filter(email="amara@example.org").exists()
    assert mail.outbox == []


def test_a_file_with_errors_lists_them_all_and_cannot_be_imported(admin_client):
    rows = [*ROWS, row("HMP Northfield", "Heron Wing", first="Jo", last="B", email="jo@", role="staff"),
            row(first="Kim", last="Lee", email="kim@example.org", role="member")]
    before = table_counts()
    checked = upload(admin_client, csv_bytes(rows))
    assert checked.status_code == 200
    page = text(checked)
    assert "There is a problem" not in page
    assert "network.csv has 2 problems. Nothing was saved." in page
    assert "Line 5, email: “jo@” is not an email address." in page
    assert "Line 6, service: A member belongs to a service: fill in the service and its organisation." in page
    assert 'name="checked"' not in checked.content.decode()
    assert table_counts() == before


def test_a_file_that_cannot_be_read_is_a_form_error(admin_client):
    refused = upload(admin_client, b"%PDF-1.7", "network.pdf")
    assert refused.status_code == 400
    assert "There is a problem" in text(refused)
    assert "Upload a CSV file (.csv) or an Excel workbook (.xlsx)." in text(refused)


def test_another_file_checked_since_must_be_checked_before_it_is_imported(admin_client):
    first = upload(admin_client, csv_bytes(ROWS))
    upload(admin_client, csv_bytes(ROWS[:1]))  # in another tab
    before = table_counts()
    stale = admin_client.post(URL, {"checked": checked_digest(first), "invite": "on"})
    assert stale.status_code == 400
    assert "another file was checked since" in text(stale)
    assert table_counts() == before


def test_a_file_that_went_wrong_meanwhile_is_shown_with_its_errors(admin_client):
    checked = upload(admin_client, csv_bytes(ROWS))
    User.objects.create(username="a1", email="AMARA@example.org")
    User.objects.create(username="a2", email="amara@example.org")
    before = table_counts()
    refused = admin_client.post(URL, {"checked": checked_digest(checked)})
    assert refused.status_code == 400
    assert "Line 3, email: 2 accounts have the email amara@example.org" in text(refused)
    assert table_counts() == before


def test_people_who_never_signed_in_can_be_invited_again(admin_client):
    admin_client.post(URL, {"checked": checked_digest(upload(admin_client, csv_bytes(ROWS)))})
    checked = upload(admin_client, csv_bytes(ROWS))
    assert "Nothing to change" in text(checked)
    assert "Send a new invitation to people in the file who have never signed in (2)" in text(checked)
    sent = admin_client.post(URL, {"checked": checked_digest(checked), "reinvite": "on"}, follow=True)
    assert "2 invitations sent." in messages_on(sent)[0]
    assert len(mail.outbox) == 2


def test_invitations_are_sent_again_to_people_named_who_never_signed_in(admin_client, personas):
    newcomer = User.objects.create(username="jo", email="Jo@example.org", password="!")
    User.objects.filter(pk=personas.lead.pk).update(last_login=personas.lead.date_joined)
    refused = admin_client.post(URL, {"resend-emails": "jo@example.org\nnot-an-email"})
    assert refused.status_code == 400
    assert "Line 2: “not-an-email” is not an email address." in text(refused)
    assert mail.outbox == []
    sent = admin_client.post(URL, {"resend-emails": f"jo@example.org\n{personas.lead.email}\nnobody@example.org"},
                             follow=True)
    assert messages_on(sent) == [
        f"1 invitation sent. Not sent to {personas.lead.email}, nobody@example.org: nobody here has that email, "
        "or they have already signed in."
    ]
    assert [m.to for m in mail.outbox] == [["Jo@example.org"]]
    assert AccountInvitation.objects.get().user == newcomer


def test_a_file_already_in_place_has_nothing_to_import(admin_client, personas):
    personas.lead.last_login = personas.lead.date_joined
    personas.lead.save()
    rows = [row(personas.home.organisation.name, personas.home.name, first="L", last="L", email=personas.lead.email,
                role="service lead")]
    checked = upload(admin_client, csv_bytes(rows))
    assert "Everything in the file is already in place: there is nothing to import." in text(checked)
    assert 'name="checked"' not in checked.content.decode()


def test_a_file_over_5_mb_is_refused_before_it_is_read(admin_client):
    refused = upload(admin_client, b"a" * (5 * 1024 * 1024 + 1))
    assert refused.status_code == 400
    assert "The file is larger than 5 MB. Split it into smaller files and import each." in text(refused)


def test_the_example_file_downloads_and_imports_cleanly(admin_client):
    response = admin_client.get(reverse("network-import-template"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"organisation,service,sector,region,secure_setting,")
    checked = upload(admin_client, data, "example.csv")
    assert "What importing example.csv will change" in text(checked)
    assert "Nothing was saved" not in text(checked)


def test_the_network_panel_links_to_the_import(admin_client):
    assert URL in admin_client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("name", [name for name in PERSONA_NAMES if name != "admin"])
def test_nobody_else_finds_the_import(client_for, personas, name):
    client = client_for(getattr(personas, name))
    assert client.get(URL).status_code == 404
    assert upload(client, csv_bytes(ROWS)).status_code == 404
    assert client.get(reverse("network-import-template")).status_code == 404
    assert not User.objects.filter(email="amara@example.org").exists()


def test_anonymous_people_are_sent_to_sign_in(client):
    assert client.get(URL).url.startswith(reverse("login"))


# --- the command -------------------------------------------------------------------------------


def test_the_command_is_a_dry_run_unless_told_to_apply(tmp_path, capsys):
    path = tmp_path / "network.csv"
    path.write_bytes(csv_bytes(ROWS))
    before = table_counts()
    call_command("import_network", str(path))
    assert table_counts() == before
    out = capsys.readouterr().out
    assert "Dry run (nothing saved; --apply imports): 3 rows." in out and "People to add: 2" in out
    call_command("import_network", str(path), "--apply", "--invite")
    assert Role.objects.filter(user__email="hannah@example.org").exists()
    assert len(mail.outbox) == 2
    assert "Invitations sent: 2." in capsys.readouterr().out


def test_the_command_prints_every_error_and_exits_non_zero_changing_nothing(tmp_path, capsys):
    path = tmp_path / "network.csv"
    path.write_bytes(csv_bytes([*ROWS, row("T", "U", "S", "R", "", "Jo", "B", "jo@", "chief")]))
    before = table_counts()
    with pytest.raises(CommandError, match="2 errors in .*network.csv: nothing was changed."):
        call_command("import_network", str(path), "--apply")
    assert table_counts() == before
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == f"{path}:5: email: “jo@” is not an email address."
    assert errors[1].startswith(f"{path}:5: role: “chief” is not a role.")


def test_the_command_exits_with_status_1(tmp_path):
    path = tmp_path / "network.csv"
    path.write_bytes(b"not,a,network\n1,2,3\n")
    done = subprocess.run([sys.executable, "manage.py", "import_network", str(path)], capture_output=True, text=True,
                          env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin",
                               "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"})
    assert done.returncode == 1
    assert f"{path}:1: not: “not” is not a column this import knows." in done.stderr


def test_the_command_says_why_a_file_cannot_be_read(tmp_path):
    path = tmp_path / "network.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match=r"This is an old Excel file \(.xls\).*Nothing was changed."):
        call_command("import_network", str(path))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_network", str(tmp_path / "missing.csv"))
