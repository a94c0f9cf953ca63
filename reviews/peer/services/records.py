"""Reviewers' records: the network keeps each reviewer's training and vetting; reviewers and the
network record the times a reviewer cannot visit."""

from django.db import transaction
from django.utils.translation import gettext as _

from assurance.models import ReviewerRecord, Unavailability
from reviews.errors import ReviewError
from reviews.templatetags.review_tags import long_date


@transaction.atomic
def save_reviewer_record(user, *, trained_on, vetting, vetting_expires_on, notes, saved_by):
    """The network's record of a reviewer's training and vetting."""
    vetting = (vetting or "").strip()
    if vetting_expires_on is not None and not vetting:
        raise ReviewError(_("Vetting or security clearance: say which, as it has an expiry date."), field="vetting")
    record, _created = ReviewerRecord.objects.update_or_create(user=user, defaults={
        "trained_on": trained_on, "vetting": vetting, "vetting_expires_on": vetting_expires_on,
        "notes": (notes or "").strip(),
    })
    return record


@transaction.atomic
def add_unavailability(user, *, starts_on, ends_on, note=""):
    """A time a reviewer cannot visit, from one day to another (both included)."""
    if ends_on < starts_on:
        raise ReviewError(_("Until: the last day cannot be before the first, %(day)s.") % {"day": long_date(starts_on)},
                          field="ends_on")
    return Unavailability.objects.create(user=user, starts_on=starts_on, ends_on=ends_on, note=(note or "").strip())


@transaction.atomic
def remove_unavailability(period):
    period.delete()
