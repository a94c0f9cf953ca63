"""What the appeal pages and panels read: a cycle's appeals, and who may sit on a panel."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from assurance.models import RoleKind
from reviews.decisions.models import AppealStatus, RatificationVote
from reviews.peer.models import Decision, TeamMember
from reviews.peer.ties import tied_people

User = get_user_model()


def appeals_of(cycle):
    """The cycle's appeals, the latest first, with their panels and the people named. Two queries."""
    panel = Prefetch("panel", queryset=User.objects.order_by("first_name", "last_name", "username"))
    return list(cycle.appeals.select_related("lodged_by", "decided_by").prefetch_related(panel)
                .order_by("-lodged_at", "-pk"))


def open_appeal(cycle):
    return cycle.appeals.filter(status=AppealStatus.LODGED).first()


def involved_people(cycle):
    """The ids of everyone involved in the review or tied to the service: the team, who recorded,
    recommended or ratified the decision, anyone holding a role at the service (staff, members,
    commissioners, reviewers from there) or at another service of its organisation, and anyone
    with a declared conflict of interest with the service or its organisation."""
    involved = set(TeamMember.objects.filter(visit__cycle=cycle).values_list("user_id", flat=True))
    involved |= {person for row in Decision.objects.filter(cycle=cycle).values_list("recorded_by_id", "recommended_by_id")
                 for person in row if person is not None}
    involved |= set(RatificationVote.objects.filter(recommendation__cycle=cycle).values_list("by_id", flat=True))
    involved |= set(cycle.service.roles.values_list("user_id", flat=True))
    involved |= tied_people(cycle.service)
    return involved


def panel_candidates(cycle):
    """Who may sit on the cycle's appeal panel: network administrators not involved in the review."""
    return (User.objects.filter(is_active=True, roles__kind=RoleKind.NETWORK_ADMIN)
            .exclude(pk__in=involved_people(cycle)).distinct().order_by("first_name", "last_name", "username"))
