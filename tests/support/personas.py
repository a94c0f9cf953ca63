"""The people of the tests: one person per role around the service under review, reviewers made to
measure, and a browser of their own for each person."""

from dataclasses import dataclass

from django.test import Client

from assurance.models import RoleKind
from tests.factories import PASSWORD, RoleFactory, ServiceFactory, UserFactory

PERSONA_NAMES = [
    "admin", "lead", "staff", "member", "reviewer", "lived_experience_reviewer", "lead_reviewer",
    "commissioner", "outsider",
]
REVIEWER_NAMES = ["reviewer", "lived_experience_reviewer", "lead_reviewer"]


@dataclass
class Personas:
    """One person per role around `home` (the service under review), plus `other`, a service
    none of them belongs to, and an outsider with no role at all."""

    home: object
    other: object
    admin: object
    lead: object
    staff: object
    member: object
    reviewer: object
    lived_experience_reviewer: object
    lead_reviewer: object
    commissioner: object
    outsider: object

    password = PASSWORD

    def all(self):
        return {name: getattr(self, name) for name in PERSONA_NAMES}


def person(username, kind=None, service=None):
    """A person, with a role of this kind in `service` when a kind is given."""
    user = UserFactory(username=username)
    if kind:
        RoleFactory(user=user, kind=kind, service=service)
    return user


def make_personas():
    """Kestrel Wing (home) and its people, Elm House (other), and reviewers from Willow Ward: the
    `personas` fixture, and the people of fixtures that outlive one test."""
    home = ServiceFactory(name="Kestrel Wing")
    other = ServiceFactory(name="Elm House")
    reviewers_home = ServiceFactory(name="Willow Ward")
    return Personas(
        home=home,
        other=other,
        admin=person("admin", RoleKind.NETWORK_ADMIN),
        lead=person("lead", RoleKind.SERVICE_LEAD, home),
        staff=person("staff", RoleKind.STAFF, home),
        member=person("member", RoleKind.MEMBER, home),
        reviewer=person("reviewer", RoleKind.PEER_REVIEWER, reviewers_home),
        lived_experience_reviewer=person("lived", RoleKind.LIVED_EXPERIENCE_REVIEWER, reviewers_home),
        lead_reviewer=person("leadreviewer", RoleKind.LEAD_REVIEWER, reviewers_home),
        commissioner=person("commissioner", RoleKind.COMMISSIONER, home),
        outsider=person("outsider"),
    )


def reviewer(username, kind=RoleKind.PEER_REVIEWER, service=None, **names):
    """A person with a reviewer role, their home service `service` (a new one unless given)."""
    user = UserFactory(username=username, **names)
    RoleFactory(user=user, kind=kind, service=service if service is not None else ServiceFactory())
    return user


def browser_for(user):
    """A browser of its own, signed in: for two people working at the same time."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
