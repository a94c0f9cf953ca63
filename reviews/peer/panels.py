"""What the home page shows of peer reviews: a reviewer's visits. (What waits for people, urgent
concerns included, is in reviews/peer/waiting.py.)"""

import rules

from assurance.models import REVIEWER_ROLES
from assurance.panels import Panel
from reviews.peer.models import TeamMember
from reviews.peer.records import reviewer_counts


def visits(request):
    """A reviewer's places on review teams, and the reviewer roles they hold."""
    if not rules.test_rule("see_own_visits", request.user):
        return None
    places = TeamMember.objects.filter(user=request.user).select_related(
        "visit__cycle__service", "visit__cycle__edition__framework"
    ).order_by("visit__date")
    reviewer_roles = [role for role in request.user.roles.select_related("service") if role.kind in REVIEWER_ROLES]
    return Panel("peer/_home_visits.html", {"visits": places, "reviewer_roles": reviewer_roles})


def reviewers_card(request):
    """The network panel's card of reviewers, for those who keep their records."""
    if not rules.test_rule("see_reviewers", request.user):
        return None
    return Panel("peer/_network_reviewers_card.html", reviewer_counts())
