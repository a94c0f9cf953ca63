"""Recommendations of a review with their votes, and those waiting for ratification."""

from django.db.models import Count, Prefetch, Q

from reviews.decisions.models import RatificationVote, Recommendation, RecommendationStatus


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
    """Recommendations waiting for ratification that `user` did not make, with their services and
    the ratifications so far, oldest first: one query."""
    return list(
        Recommendation.objects.filter(status=RecommendationStatus.PENDING)
        .exclude(recommended_by=user)
        .exclude(votes__by=user)
        .select_related("cycle__service", "recommended_by", "follow_up")
        .annotate(ratified=Count("votes", filter=Q(votes__ratified=True)))
        .order_by("recommended_at", "pk")
    )
