"""The default dates of deciding a review, from the network's settings."""

import datetime

from django.conf import settings
from django.utils import timezone


def add_years(day, years):
    """The same day `years` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def award_valid_until(decided_on=None):
    """The default end of an award decided on `decided_on` (today): settings.AWARD_VALID_YEARS on."""
    return add_years(decided_on or timezone.localdate(), settings.AWARD_VALID_YEARS)


def follow_up_due_by(today=None):
    """The default due date of a follow-up: settings.FOLLOW_UP_WEEKS weeks from today."""
    return (today or timezone.localdate()) + datetime.timedelta(weeks=settings.FOLLOW_UP_WEEKS)
