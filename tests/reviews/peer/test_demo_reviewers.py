"""The demo's reviewer records: run twice, they are there once, and the prison wings are secure."""

from assurance.models import ReviewerRecord, RoleKind, Unavailability
from reviews.models import ConflictOfInterest
from reviews.peer.demo_reviewers import RECORDS, seed_demo_reviewer_records
from tests.factories import SectorFactory, ServiceFactory
from tests.support.personas import reviewer


def test_demo_reviewer_records(db):
    prison = SectorFactory(name="Prison wing (PIPE)")
    services = {"Cedar Unit": ServiceFactory(name="Cedar Unit", sector=prison),
                "Elm House": ServiceFactory(name="Elm House")}
    people = {name: reviewer(name, RoleKind.PEER_REVIEWER, service=services["Elm House"]) for name in RECORDS}

    seed_demo_reviewer_records(services, people)
    seed_demo_reviewer_records(services, people)

    services["Cedar Unit"].refresh_from_db()
    services["Elm House"].refresh_from_db()
    assert (services["Cedar Unit"].is_secure_setting, services["Elm House"].is_secure_setting) == (True, False)
    assert ReviewerRecord.objects.count() == len(RECORDS)
    assert Unavailability.objects.count() == 2
    [conflict] = ConflictOfInterest.objects.all()
    assert (conflict.user.username, conflict.organisation) == ("jo", services["Cedar Unit"].organisation)
