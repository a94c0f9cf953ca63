"""Every model has an admin page, and a network administrator can open each list and add form."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.support.reviews import PeerReview

pytestmark = pytest.mark.django_db


def admin_pages():
    for model in admin.site._registry:
        meta = model._meta
        yield pytest.param(meta.app_label, meta.model_name, id=f"{meta.app_label}.{meta.model_name}")


@pytest.mark.parametrize(("app_label", "model_name"), list(admin_pages()))
def test_admin_list_and_add_pages_open_for_network_admin(personas, client_for, app_label, model_name):
    PeerReview(personas).to("ratings_agreed")  # something in most lists
    client = client_for(personas.admin)

    listing = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    adding = client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    assert listing.status_code == 200
    assert adding.status_code in (200, 403)


def test_every_model_of_our_apps_has_an_admin_page():
    from django.apps import apps

    ours = {m for app in ("assurance", "standards", "reviews") for m in apps.get_app_config(app).get_models()}
    assert ours - set(admin.site._registry) == set()


def test_audit_log_entries_cannot_be_deleted_in_the_admin(personas, client_for):
    from auditlog.models import LogEntry

    PeerReview(personas).to("visit")
    entry = LogEntry.objects.first()
    client = client_for(personas.admin)

    response = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
