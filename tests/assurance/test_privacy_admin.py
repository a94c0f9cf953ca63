"""The administration's actions on a person: download what is held about them, and erase them
after a page that says what will change."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.assurance.privacy_world import EMAIL, make_zebedee

pytestmark = pytest.mark.django_db


def act(client, action, person, **extra):
    return client.post(reverse("admin:assurance_user_changelist"),
                       {"action": action, "_selected_action": [person.pk], **extra})


def test_a_network_administrator_downloads_what_is_held_about_a_person(personas, client_for):
    zebedee = make_zebedee(personas)

    response = act(client_for(personas.admin), "export_personal_data", zebedee, index=0)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{zebedee.pk}.json"'
    assert json.loads(response.content)["account"]["email"] == EMAIL


def test_erasing_asks_first_then_erases_with_the_administrator_in_the_audit_log(personas, client_for):
    zebedee = make_zebedee(personas)
    client = client_for(personas.admin)

    asked = act(client, "erase_personal_data", zebedee, index=0)
    zebedee.refresh_from_db()
    assert asked.status_code == 200 and zebedee.erased_at is None
    assert f"Erased person {zebedee.pk}" in asked.content.decode()

    done = act(client, "erase_personal_data", zebedee, confirmed="yes")
    zebedee.refresh_from_db()
    assert done.status_code == 302 and zebedee.erased_at is not None
    assert LogEntry.objects.get_for_object(zebedee).order_by("-pk").first().actor == personas.admin


def test_an_administrator_cannot_erase_themselves(personas, client_for):
    act(client_for(personas.admin), "erase_personal_data", personas.admin, confirmed="yes")

    personas.admin.refresh_from_db()
    assert personas.admin.erased_at is None


def test_others_cannot_use_the_actions(personas, client_for):
    zebedee = make_zebedee(personas)

    response = act(client_for(personas.lead), "erase_personal_data", zebedee, confirmed="yes")

    zebedee.refresh_from_db()
    assert response.status_code == 302 and "login" in response.url and zebedee.erased_at is None
