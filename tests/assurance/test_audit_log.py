"""The audit log: changes made through the admin appear with who, when, what, before and after."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.forms import MultiWidget
from django.test import Client
from django.utils import dateformat, timezone

from assurance.models import Role, RoleKind, Service, User
from tests.factories import ServiceFactory
from tests.support.pages import table_rows, text
from tests.support.personas import PERSONA_NAMES


def admin_form_data(response, **changes):
    """What the admin change or add form would send unchanged, with `changes` applied."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            widget = form.fields[name].widget
            if isinstance(widget, MultiWidget):  # e.g. a date and a time, sent as two fields
                for suffix, part in zip(widget.widgets_names, widget.decompress(value), strict=True):
                    data[form.add_prefix(name) + suffix] = part
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    data.update(changes)
    return data


def change_in_admin(client, instance, **changes):
    url = f"/admin/{instance._meta.app_label}/{instance._meta.model_name}/{instance.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def add_in_admin(client, model, **fields):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
    response = client.post(url, admin_form_data(client.get(url), **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def admin_client(personas, client_for):
    return client_for(personas.admin)


def test_audit_log_shows_service_edit_with_who_when_what_before_and_after(personas, admin_client):
    service = ServiceFactory(name="Cedar Unit", description="A preparation unit.")

    change_in_admin(admin_client, service, description="A preparation unit for the PIPE.")

    response = admin_client.get("/audit/")
    [newest, *_older] = table_rows(response)
    assert f"{personas.admin} (admin)" in newest
    assert "Service “Cedar Unit” changed" in newest
    assert "description A preparation unit. A preparation unit for the PIPE." in newest
    entry = LogEntry.objects.get_for_object(service).latest("timestamp")
    when = dateformat.format(timezone.localtime(entry.timestamp), "c")
    assert f'<time datetime="{when}">' in response.content.decode()


def test_audit_log_edit_lists_only_what_changed(personas, admin_client):
    service = ServiceFactory(name="Cedar Unit", description="Old words.")

    change_in_admin(admin_client, service, description="New words.")

    entry = LogEntry.objects.get_for_object(service).latest("timestamp")
    assert entry.actor == personas.admin
    assert entry.changes_dict == {"description": ["Old words.", "New words."]}


def test_audit_log_edit_of_service_with_people_keeps_its_roles(personas, admin_client):
    change_in_admin(admin_client, personas.home, description="Forty beds.")

    personas.home.refresh_from_db()
    assert personas.home.description == "Forty beds."
    assert personas.home.roles.count() == 4


def test_audit_log_shows_role_added_with_person_kind_and_service_by_name(personas, admin_client):
    add_in_admin(admin_client, Role, user=personas.outsider.pk, kind=RoleKind.MEMBER, service=personas.other.pk)

    role = Role.objects.get(user=personas.outsider)
    [newest, *_older] = table_rows(admin_client.get("/audit/"))
    assert f"Role “{role}” created" in newest
    assert f"person {personas.outsider}" in newest
    assert "role Member" in newest
    assert "service Elm House" in newest
    assert f"{personas.admin} (admin)" in newest


def test_audit_log_shows_deletion_with_what_was_there(personas, admin_client):
    role = personas.member.roles.get()
    name = str(role)

    admin_client.post(f"/admin/assurance/role/{role.pk}/delete/", {"post": "yes"})

    [newest, *_older] = table_rows(admin_client.get("/audit/"))
    assert not Role.objects.filter(pk=role.pk).exists()
    assert f"Role “{name}” deleted" in newest
    assert "service Kestrel Wing" in newest


def test_audit_log_change_by_command_shown_as_system(personas, admin_client):
    ServiceFactory(name="Cedar Unit")

    [newest, *_older] = table_rows(admin_client.get("/audit/"))

    assert "Service “Cedar Unit” created" in newest
    assert "a command or the system" in newest


def test_audit_log_filter_by_kind_of_record(personas, admin_client):
    change_in_admin(admin_client, personas.home, description="Forty beds.")
    add_in_admin(admin_client, Role, user=personas.outsider.pk, kind=RoleKind.MEMBER, service=personas.other.pk)
    service_kind = ContentType.objects.get_for_model(Service).pk

    entries = table_rows(admin_client.get("/audit/", {"kind": service_kind}))

    assert entries
    assert all("Service “" in entry for entry in entries)
    assert any("Service “Kestrel Wing” changed" in entry for entry in entries)
    assert not any("Role “" in entry for entry in entries)


def test_audit_log_filter_by_actor(personas, admin_client):
    ServiceFactory(name="Cedar Unit")
    change_in_admin(admin_client, personas.home, description="Forty beds.")

    entries = table_rows(admin_client.get("/audit/", {"actor": "admin"}))

    assert len(entries) == 1
    assert "Service “Kestrel Wing” changed" in entries[0]


def test_audit_log_filter_keeps_choices_shown(personas, admin_client):
    service_kind = ContentType.objects.get_for_model(Service).pk

    html = admin_client.get("/audit/", {"kind": service_kind, "actor": "admin"}).content.decode()

    assert f'<option value="{service_kind}" selected>Service</option>' in html
    assert 'name="actor" value="admin"' in html


def test_audit_log_filter_matching_nothing_says_so(personas, admin_client):
    page = text(admin_client.get("/audit/", {"actor": "nobody-by-this-name"}))

    assert "No changes match." in page


def test_audit_log_filter_by_record_name(personas, admin_client):
    entries = table_rows(admin_client.get("/audit/", {"q": "Elm"}))

    assert entries
    assert all("Elm House" in entry for entry in entries)


@pytest.mark.parametrize("persona", [name for name in PERSONA_NAMES if name != "admin"])
def test_audit_log_not_found_for_non_admin(personas, client_for, persona):
    response = client_for(getattr(personas, persona)).get("/audit/", {"actor": "admin"})

    assert response.status_code == 404


def test_audit_log_never_shows_password_hashes(personas, admin_client):
    add_in_admin(
        admin_client, User, username="newcomer", password1="first-secret-words-1", password2="first-secret-words-1"
    )
    newcomer = User.objects.get(username="newcomer")
    first_hash = newcomer.password
    admin_client.post(
        f"/admin/assurance/user/{newcomer.pk}/password/",
        {"password1": "second-secret-words-2", "password2": "second-secret-words-2", "usable_password": "true"},
    )
    newcomer.refresh_from_db()
    assert newcomer.check_password("second-secret-words-2")
    change_in_admin(admin_client, newcomer, first_name="Nia", email="nia@example.test")
    newcomers_browser = Client()
    newcomers_browser.post("/accounts/sign-in/", {"username": "newcomer", "password": "second-secret-words-2"})
    assert newcomers_browser.get("/").status_code == 200

    response = admin_client.get("/audit/")
    assert response.status_code == 200
    page = response.content.decode()
    stored = " ".join(str(entry.changes) for entry in LogEntry.objects.all())
    for secret in (first_hash, newcomer.password, "md5$", "pbkdf2", "argon2", "secret-words"):
        assert secret not in page
        assert secret not in stored
    assert "User “Nia" in text(admin_client.get("/audit/", {"q": "Nia"}))
