"""The award's life after the decision: how long it is valid, and the interim review at mid-term
(a light update from the service, value by value, read by the lead reviewer or an administrator)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.cycles.models import CycleState
from reviews.cycles.services import locked
from reviews.decisions.models import InterimReview
from reviews.errors import ReviewError


def mid_term(decision):
    """Halfway between the decision and the end of the award."""
    start = timezone.localdate(decision.recorded_at)
    return start + datetime.timedelta(days=(decision.valid_until - start).days // 2)


def open_interim_review(cycle):
    return cycle.interim_reviews.filter(reviewed_at__isnull=True).first()


@transaction.atomic
def request_interim_review(cycle, *, due_on=None, requested_by):
    """Asks the service for a light update at mid-term of its award (by default, due halfway)."""
    cycle = locked(cycle.pk)
    decision = getattr(cycle, "decision", None)
    if cycle.state not in CycleState.CONCLUDED or decision is None or not decision.is_award:
        raise ReviewError(_("An interim review is asked for once the service holds an award."))
    if decision.valid_until is None:
        raise ReviewError(_("The award has no end date, so it has no mid-term. Record until when it is valid first."))
    if open_interim_review(cycle) is not None:
        raise ReviewError(_("An interim review is already under way for this award."))
    due_on = due_on or mid_term(decision)
    if due_on > decision.valid_until:
        raise ReviewError(
            _("The interim review must be due before the award ends on %(until)s.")
            % {"until": _day(decision.valid_until)}, field="due_on")
    if due_on < timezone.localdate():
        raise ReviewError(_("The due date cannot be in the past."), field="due_on")
    return InterimReview.objects.create(cycle=cycle, due_on=due_on, requested_by=requested_by)


def _locked_review(interim):
    interim = InterimReview.objects.select_for_update().select_related("cycle").get(pk=interim.pk)
    locked(interim.cycle_id)
    return interim


@transaction.atomic
def save_interim_update(interim, *, statement, by_value, base_version, saved_by, submit=False):
    """The service's update: what has changed, and a short note per value. Saved as a draft
    until submitted; `base_version` is the version the person started from."""
    interim = _locked_review(interim)
    if interim.submitted_at is not None:
        raise ReviewError(_("This interim review has been submitted, so it can no longer change."))
    if base_version != interim.version:
        raise ReviewError(_("Someone else saved this update while you were writing. Reload the page: your "
                            "text is below so that you can copy it."))
    values = set(interim.cycle.edition.values.values_list("code", flat=True))
    notes = {code: (text or "").strip() for code, text in by_value.items() if code in values}
    interim.statement = (statement or "").strip()
    interim.by_value = {code: text for code, text in notes.items() if text}
    interim.version += 1
    fields = ["statement", "by_value", "version"]
    if submit:
        if not interim.statement:
            raise ReviewError(_("Say what has changed since the review before submitting."), field="statement")
        interim.submitted_at = timezone.now()
        interim.submitted_by = saved_by
        fields += ["submitted_at", "submitted_by"]
    interim.save(update_fields=fields)
    return interim


@transaction.atomic
def record_interim_read(interim, *, note, read_by):
    """The lead reviewer or an administrator records that they read the update, with a note."""
    interim = _locked_review(interim)
    if interim.submitted_at is None:
        raise ReviewError(_("The service has not submitted its update yet."))
    if interim.reviewed_at is not None:
        raise ReviewError(_("This update has already been read."))
    note = (note or "").strip()
    if not note:
        raise ReviewError(_("Write a note for the service about its update."), field="note")
    interim.review_note = note
    interim.reviewed_by = read_by
    interim.reviewed_at = timezone.now()
    interim.save(update_fields=["review_note", "reviewed_by", "reviewed_at"])
    return interim


def _day(day):
    return f"{day.day} {day:%B %Y}"
