"""Who is tied to a service, and so may never review it, ratify its decision or hear its appeal:
people who belong to it or to another service of the same organisation, who commission it, or who
declared a conflict of interest with it or with its organisation. One definition, read by the team,
the ratification and the appeal panel alike."""

import enum
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from assurance.models import Role, RoleKind, Service
from assurance.roles import roles_of
from reviews.peer.models import ConflictOfInterest

# The roles that make a service a person's home: they work there, use it, or review from it.
HOME_KINDS = (
    RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER,
    RoleKind.PEER_REVIEWER, RoleKind.LIVED_EXPERIENCE_REVIEWER, RoleKind.LEAD_REVIEWER,
)


class TieKind(enum.Enum):
    HOME = "home"  # belongs to the service itself
    SAME_ORGANISATION = "same_organisation"  # belongs to another service of its organisation
    COMMISSIONER = "commissioner"
    CONFLICT = "conflict"  # declared with the service
    ORGANISATION_CONFLICT = "organisation_conflict"  # declared with its organisation


@dataclass(frozen=True)
class Tie:
    kind: TieKind
    service: object
    home: object = None  # the person's service in the same organisation (SAME_ORGANISATION)

    @property
    def organisation(self):
        return self.service.organisation


def tie_to(user, service):
    """The first tie between this person and this service, or None. At most two queries."""
    roles = roles_of(user)
    home_ids = roles.home_service_ids
    if service.pk in home_ids:
        return Tie(TieKind.HOME, service)
    if home_ids:
        home = (Service.objects.filter(pk__in=home_ids, organisation_id=service.organisation_id)
                .order_by("name").first())
        if home is not None:
            return Tie(TieKind.SAME_ORGANISATION, service, home=home)
    if roles.holds_for(service.pk, RoleKind.COMMISSIONER):
        return Tie(TieKind.COMMISSIONER, service)
    declared = list(ConflictOfInterest.objects.touching(service).filter(user=user).values_list("service_id", flat=True))
    if declared:
        return Tie(TieKind.CONFLICT if any(declared) else TieKind.ORGANISATION_CONFLICT, service)
    return None


def tied_people(service):
    """The ids of everyone tied to this service. Two queries, whatever the size of the network."""
    tied = set(Role.objects.filter(
        Q(kind__in=HOME_KINDS, service__organisation_id=service.organisation_id)
        | Q(kind=RoleKind.COMMISSIONER, service=service)
    ).values_list("user_id", flat=True))
    tied |= set(ConflictOfInterest.objects.touching(service).values_list("user_id", flat=True))
    return tied


def untied(queryset, user, service_path):
    """The rows of `queryset` whose service (reached by `service_path`, such as "cycle__service") this
    person is not tied to: the same rules as tie_to, inside the queryset's own query."""
    roles = roles_of(user)
    home_organisations = Service.objects.filter(pk__in=roles.home_service_ids).values("organisation_id")
    declared = ConflictOfInterest.objects.filter(user=user).filter(
        Q(service=OuterRef(service_path)) | Q(organisation=OuterRef(f"{service_path}__organisation")))
    return (queryset.exclude(**{f"{service_path}__organisation__in": home_organisations})
            .exclude(**{f"{service_path}__in": list(roles.service_ids(RoleKind.COMMISSIONER))})
            .exclude(Exists(declared)))
