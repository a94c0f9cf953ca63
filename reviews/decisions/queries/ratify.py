"""Recommendations of a review with their votes, and those waiting for ratification."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from reviews.decisions.models import RatificationVote, Recommendation, RecommendationStatus
from reviews.peer.models import TeamMember
from reviews.peer.ties import untied


def recommendations_of(cycle):
    """Every recommendation of the review and of its follow-ups, oldest first, each with its votes
    and who cast them: two queries."""
    votes = RatificationVote.objects.select_related("by")
    return list(
        Recommendation.objects.filter(cycle=cycle)
        .select_related("recommended_by")
        .prefetch_related(Prefetch("votes", queryset=votes))
    )


def waiting_for_ratification(user):
    """Recommendations waiting for ratification that `user` may ratify: not theirs, not yet voted
    on, not of a review they are on the team of or of a service they are tied to (reviews/peer/ties.py:
    their own organisation's, one they commission, a declared conflict of interest); with their services,
    visits and teams (for the disclosure policy) and the ratifications so far, oldest first: two
    queries."""
    on_team = TeamMember.objects.filter(user=user, visit__cycle=OuterRef("cycle"))
    pending = untied(Recommendation.objects.filter(status=RecommendationStatus.PENDING), user, "cycle__service")
    return list(
        pending.exclude(recommended_by=user).exclude(votes__by=user).exclude(Exists(on_team))
        .select_related("cycle__service", "cycle__visit", "recommended_by", "follow_up")
        .prefetch_related("cycle__visit__team")
        .annotate(ratified=Count("votes", filter=Q(votes__ratified=True)))
        .order_by("recommended_at", "pk")
    )
