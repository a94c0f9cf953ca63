"""seed_demo: a demo network to click through, the same however often it runs."""

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from assurance.demo import DEMO_PASSWORD
from assurance.models import Region, Role, RoleKind, Sector, Service, User
from reviews.models import Cycle
from standards.models import Edition

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = ["admin", "lead", "staff", "member", "reviewer", "lived", "leadreviewer", "commissioner", "outsider"]


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every model's row count, the audit entry count and everyone's password hash."""
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    counts["audit entries"] = LogEntry.objects.count()
    return counts, dict(User.objects.values_list("username", "password"))


def test_seed_demo_makes_services_across_regions_and_sectors():
    seed()

    services = Service.objects.all()
    assert services.count() >= 6
    assert Region.objects.filter(services__isnull=False).distinct().count() >= 3
    assert Sector.objects.filter(services__isnull=False).distinct().count() >= 3


def test_seed_demo_makes_one_person_per_role_and_an_outsider():
    seed()

    for kind in RoleKind:
        assert Role.objects.filter(kind=kind).exists(), kind
    outsider = User.objects.get(username="outsider")
    assert not outsider.roles.exists()
    assert set(DEMO_USERNAMES) <= set(User.objects.values_list("username", flat=True))


def test_seed_demo_reviewers_have_home_services_and_admin_none():
    seed()

    for username in ("reviewer", "lived", "leadreviewer"):
        assert User.objects.get(username=username).roles.get().service is not None
    assert User.objects.get(username="admin").roles.get(kind=RoleKind.NETWORK_ADMIN).service is None


def test_seed_demo_prints_sign_ins_and_password():
    output = seed()

    assert DEMO_PASSWORD in output
    for username in DEMO_USERNAMES:
        assert f"  {username} " in output


def test_seed_demo_people_can_sign_in_with_printed_password(client):
    seed()

    client.post("/accounts/sign-in/", {"username": "lead", "password": DEMO_PASSWORD})

    page = client.get("/")
    assert page.status_code == 200
    assert "Kestrel Wing" in page.content.decode()


def test_seed_demo_loads_bundled_standards_when_missing():
    assert not Edition.objects.exists()

    seed()

    assert Edition.objects.filter(framework__slug="relational-practice-standards", version="2026.1").exists()
    assert Cycle.objects.count() >= 1


def test_seed_demo_twice_changes_nothing():
    seed()
    before = snapshot()

    seed()

    assert snapshot() == before


def test_seed_demo_leaves_changed_password_alone():
    seed()
    lead = User.objects.get(username="lead")
    lead.set_password("a-password-of-their-own")
    lead.save()

    seed()

    lead.refresh_from_db()
    assert lead.check_password("a-password-of-their-own")


def test_seed_demo_services_option_adds_benchmark_services_each_with_lead():
    seed()
    before = Service.objects.count()

    output = seed("--services", "50")

    benchmark = Service.objects.filter(slug__startswith="bench-")
    assert benchmark.count() == 50
    assert Service.objects.count() == before + 50
    assert "added 50" in output
    leads = Role.objects.filter(kind=RoleKind.SERVICE_LEAD, service__in=benchmark)
    assert set(leads.values_list("service", flat=True)) == set(benchmark.values_list("pk", flat=True))


def test_seed_demo_services_option_twice_adds_none_the_second_time():
    seed("--services", "50")
    before = snapshot()

    output = seed("--services", "50")

    assert "added 0" in output
    assert snapshot() == before


def test_seed_demo_services_option_negative_refused():
    with pytest.raises(CommandError, match="--services must be 0 or more"):
        seed("--services", "-1")
