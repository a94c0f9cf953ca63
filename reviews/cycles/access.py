"""Reaching a review cycle: what lies beyond a person's reach answers 404, never 403."""

from django.shortcuts import get_object_or_404

from reviews.cycles.queries import cycles_visible_to


def cycle_or_404(user, pk):
    """The cycle, with its visit and team at hand for the permission rules, or 404."""
    cycles = cycles_visible_to(user).select_related("visit").prefetch_related("visit__team")
    return get_object_or_404(cycles, pk=pk)
