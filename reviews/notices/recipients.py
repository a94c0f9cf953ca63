"""Who a notice about a cycle goes to: the people of each audience of the disclosure policy,
read for many cycles at once in a fixed number of queries.

A notice names the audiences it is meant for (the service's lead, the review team, ...) and the
facts it shows; only the audiences the policy lets see every one of those facts at the cycle's
stage are asked for (`told`), and `send_notice` asks the policy again for each person."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse

from assurance.models import Role, RoleKind, User
from assurance.roles import read_roles_of_many
from reviews.disclosure import POLICY, SERVICE_ROLES, Audience
from reviews.peer.models import TeamMember

ROLE_OF_AUDIENCE = {audience: kind for kind, audience in SERVICE_ROLES.items()}


def link(name, *args):
    """The whole address of a page, for an email."""
    return settings.SITE_URL + reverse(name, args=args)


def with_people(cycles):
    """Cycles with what the policy reads of them: the service, the visit and its team."""
    team = TeamMember.objects.select_related("user").order_by("role", "pk")
    return cycles.select_related("service", "visit").prefetch_related(Prefetch("visit__team", queryset=team))


def told(cycle, facts, audiences):
    """The audiences among these that the disclosure policy lets see every one of the facts now."""
    return [audience for audience in audiences
            if all(cycle.state in POLICY[fact].get(audience, ()) for fact in facts)]


def team_of(cycle):
    visit = getattr(cycle, "visit", None)
    return list(visit.team.all()) if visit is not None else []


class People:
    """The people of some cycles' services, of the review teams and the network administrators,
    each person one object (so that their roles are read once), with their roles read in one
    query for all of them."""

    def __init__(self, cycles, audiences):
        cycles = list(cycles)
        self.users = {}
        self.by_service = defaultdict(lambda: defaultdict(list))
        self.admins = []
        kinds = [ROLE_OF_AUDIENCE[audience] for audience in audiences if audience in ROLE_OF_AUDIENCE]
        if kinds:
            roles = Role.objects.filter(
                service_id__in={cycle.service_id for cycle in cycles}, kind__in=kinds, user__is_active=True
            ).select_related("user").order_by("user__last_name", "user__first_name", "user__pk")
            for role in roles:
                self.by_service[role.service_id][SERVICE_ROLES[role.kind]].append(self.one(role.user))
        if Audience.ADMIN in audiences:
            admins = User.objects.filter(Q(roles__kind=RoleKind.NETWORK_ADMIN) | Q(is_superuser=True), is_active=True)
            self.admins = [self.one(user) for user in admins.distinct().order_by("last_name", "first_name", "pk")]
        if Audience.TEAM in audiences:
            for cycle in cycles:
                for member in team_of(cycle):
                    member.user = self.one(member.user)
        read_roles_of_many(self.users.values())

    def one(self, user):
        return self.users.setdefault(user.pk, user)

    def of(self, cycle, audiences):
        """The people of these audiences of the cycle, each once."""
        found = {}
        for audience in audiences:
            if audience == Audience.ADMIN:
                people = self.admins
            elif audience == Audience.TEAM:
                people = [member.user for member in team_of(cycle)]
            else:
                people = self.by_service[cycle.service_id][audience]
            for person in people:
                found.setdefault(person.pk, person)
        return list(found.values())
