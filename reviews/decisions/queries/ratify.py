"""Recommendations of a review with their votes, and those waiting for ratification."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from reviews.decisions.models import RatificationVote, Recommendation, RecommendationStatus
from reviews.peer.models import ConflictOfInterest, TeamMember


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
    on, not of a review they are on the team of or declared a conflict with; with their services,
    visits and teams (for the disclosure policy) and the ratifications so far, oldest first: two
    queries."""
    conflicted = ConflictOfInterest.objects.filter(user=user, service=OuterRef("cycle__service"))
    on_team = TeamMember.objects.filter(user=user, visit__cycle=OuterRef("cycle"))
    return list(
        Recommendation.objects.filter(status=RecommendationStatus.PENDING)
        .exclude(recommended_by=user).exclude(votes__by=user)
        .exclude(Exists(conflicted)).exclude(Exists(on_team))
        .select_related("cycle__service", "cycle__visit", "recommended_by", "follow_up")
        .prefetch_related("cycle__visit__team")
        .annotate(ratified=Count("votes", filter=Q(votes__ratified=True)))
        .order_by("recommended_at", "pk")
    )
