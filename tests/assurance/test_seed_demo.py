"""seed_demo: a demo network to click through, the same however often it runs."""

import hashlib
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from assurance.demo import DEMO_PASSWORD, NETWORK_SERVICES
from assurance.models import Region, Role, RoleKind, Sector, Service, User
from reviews.models import Cycle, CycleEvent, CycleState, Evidence, Perspective, SelfRating
from reviews.selfassessment.queries import answer_sheet
from tests.support.documents import stored_files

# The demo is seeded once for the module (tests/assurance/conftest.py); each test only reads it, or
# seeds again inside its own transaction.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]

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

    services = Service.objects.all()
    assert services.count() >= 6
    assert Region.objects.filter(services__isnull=False).distinct().count() >= 3
    assert Sector.objects.filter(services__isnull=False).distinct().count() >= 3


def test_seed_demo_makes_one_person_per_role_and_an_outsider():

    for kind in RoleKind:
        assert Role.objects.filter(kind=kind).exists(), kind
    outsider = User.objects.get(username="outsider")
    assert not outsider.roles.exists()
    assert set(DEMO_USERNAMES) <= set(User.objects.values_list("username", flat=True))


def test_seed_demo_reviewers_have_home_services_and_admin_none():

    for username in ("reviewer", "lived", "leadreviewer"):
        assert User.objects.get(username=username).roles.get().service is not None
    assert User.objects.get(username="admin").roles.get(kind=RoleKind.NETWORK_ADMIN).service is None


def test_seed_demo_prints_sign_ins_and_password(seeded_demo):
    output = seeded_demo.output

    assert DEMO_PASSWORD in output
    for username in DEMO_USERNAMES:
        assert f"  {username} " in output


def test_seed_demo_people_can_sign_in_with_printed_password(client):

    client.post("/accounts/sign-in/", {"username": "lead", "password": DEMO_PASSWORD})

    page = client.get("/")
    assert page.status_code == 200
    assert "Kestrel Wing" in page.content.decode()


def test_seed_demo_twice_changes_nothing():
    before = snapshot()

    seed()

    assert snapshot() == before


def test_seed_demo_leaves_changed_password_alone():
    lead = User.objects.get(username="lead")
    lead.set_password("a-password-of-their-own")
    lead.save()

    seed()

    lead.refresh_from_db()
    assert lead.check_password("a-password-of-their-own")


def test_seed_demo_services_option_adds_benchmark_services_each_with_lead():
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


# --- the demo review cycles, one at each stage --------------------------------------------------


def demo_cycle(service_name):
    return Cycle.objects.select_related("edition").get(service__name=service_name)


def cycle_counts():
    return {
        "cycles": Cycle.objects.count(),
        "answers": SelfRating.objects.count(),
        "evidence": Evidence.objects.count(),
        "evidence links": SelfRating.evidence.through.objects.count(),
        "events": CycleEvent.objects.count(),
    }


def test_seed_demo_elm_house_open_and_not_started():

    elm = demo_cycle("Elm House")
    assert elm.state == CycleState.OPEN
    assert not elm.self_ratings.exists()
    assert not elm.evidence.exists()
    assert answer_sheet(elm, Perspective.STAFF).answered == 0


def test_seed_demo_kestrel_wing_half_done_by_staff_with_evidence(client, seeded_demo):

    kestrel = demo_cycle("Kestrel Wing")
    assert kestrel.state == CycleState.OPEN
    staff = answer_sheet(kestrel, Perspective.STAFF)
    assert 0 < staff.answered < staff.total
    assert kestrel.member_responses.count() == 3  # members answer the questionnaire, not the self-assessment
    assert {"file", "link"} <= set(kestrel.evidence.values_list("kind", flat=True))
    assert SelfRating.objects.filter(cycle=kestrel, perspective=Perspective.STAFF, evidence__isnull=False).exists()
    minutes = kestrel.evidence.filter(kind="file", title__startswith="Minutes of the wing community meeting").get()
    evidence_files = [name for name in stored_files(seeded_demo.media) if name.startswith("evidence/")]
    assert evidence_files == sorted(item.file.name for item in Evidence.objects.filter(kind="file"))
    client.post("/accounts/sign-in/", {"username": "lead", "password": DEMO_PASSWORD})
    response = client.get(f"/cycles/{kestrel.pk}/evidence/{minutes.pk}/download/")
    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert (len(content), hashlib.sha256(content).hexdigest()) == (minutes.size, minutes.sha256)


def test_seed_demo_larchfield_submitted_with_complete_staff_answers():

    larchfield = demo_cycle("Larchfield Community")
    assert larchfield.state == CycleState.SELF_ASSESSMENT_SUBMITTED
    assert larchfield.submitted_at is not None
    assert larchfield.submitted_by.username == "lead2"
    staff = answer_sheet(larchfield, Perspective.STAFF)
    assert staff.answered == staff.total > 0
    assert staff.blocking_problems() == []
    assert list(larchfield.events.values_list("to_state", flat=True)) == [
        CycleState.OPEN, CycleState.SELF_ASSESSMENT_SUBMITTED
    ]


def test_seed_demo_twice_keeps_cycles_answers_and_evidence(seeded_demo):
    before = cycle_counts(), stored_files(seeded_demo.media)

    seed()

    assert (cycle_counts(), stored_files(seeded_demo.media)) == before
    # one per stage, Cedar Unit's closed cycle from last year, three decided beyond a plain award, and
    # seven more services reviewed last year and this, for the network's figures
    assert before[0]["cycles"] == 11 + 2 * len(NETWORK_SERVICES)


def test_seed_demo_builds_peer_reviews_at_every_later_stage():

    stages = {cycle.service.name: cycle.state for cycle in Cycle.objects.select_related("service").exclude(state="closed")}
    assert stages["Harbour Lights"] == CycleState.VISIT
    assert stages["Riverside Hostel"] == CycleState.RATINGS_AGREED
    assert stages["The Orchard"] == CycleState.REPORT_DRAFT
    assert stages["Cedar Unit"] == CycleState.FINAL
    cedar_last_year = Cycle.objects.get(service__name="Cedar Unit", state=CycleState.CLOSED)
    cedar_now = Cycle.objects.get(service__name="Cedar Unit", state=CycleState.FINAL)
    assert cedar_last_year.opened_at < cedar_now.opened_at
    assert cedar_now.decision.outcome
    assert cedar_now.actions.filter(carried_from__cycle=cedar_last_year).exists()
    harbour = Cycle.objects.get(service__name="Harbour Lights")
    assert sorted(m.has_submitted for m in harbour.visit.team.all()) == [False, True, True]
    orchard = Cycle.objects.get(service__name="The Orchard")
    assert orchard.accuracy_comments.filter(responded_at__isnull=True).count() == 1


def test_seed_demo_has_a_follow_up_an_appeal_and_an_award_near_expiry():

    fernside = demo_cycle("Fernside House")
    assert (fernside.state, fernside.decision.outcome) == (CycleState.FINAL, "deferred")
    follow_up = fernside.follow_ups.get()
    assert follow_up.is_open and follow_up.due_on > fernside.decision.recorded_at.date()
    assert 0 < follow_up.answers.count() < follow_up.criteria.count()
    beacon = demo_cycle("Beacon Wing")
    appeal = beacon.appeals.get()
    assert appeal.is_open and appeal.panel.exists() and beacon.decision.outcome == "not_awarded"
    millbrook = Cycle.objects.get(service__name="Millbrook Community")
    assert millbrook.decision.award_state() == "expiring"
    assert millbrook.decision.recorded_at.date() < millbrook.interim_reviews.get().reviewed_at.date()
    # each decision was recommended by the lead reviewer, ratified, and its report issued at once
    for cycle in (fernside, beacon, millbrook):
        assert cycle.decision.recommended_by is not None
        assert cycle.reports.filter(is_final=True, version=1).exists()
