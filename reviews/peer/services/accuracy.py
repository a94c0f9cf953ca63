"""Factual accuracy of the draft report: the service's comments, the lead reviewer's answers, and
the changes to an agreed rating or a finding that an answer (or a follow-up review) makes.

`record_rating_change` and `record_finding_change` check no stage: their callers do (an accuracy
answer while the report is a draft, a follow-up review after a deferral)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.cycles.models import CycleState
from reviews.cycles.services import locked
from reviews.errors import ReviewError
from reviews.peer.models import AccuracyComment, AgreedRating, ChangeSource, Finding, RatingChange


def same_words(one, other):
    """Whether two texts say the same, whatever their spacing and line ends (a browser sends CRLF)."""
    return (one or "").split() == (other or "").split()


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Say why it changed."), field="reason")
    return reason


@transaction.atomic
def record_rating_change(cycle, *, criterion, level, not_applicable, reason, by, source, accuracy_comment=None):
    """Changes the cycle's agreed rating of `criterion` and records from what, to what and why."""
    reason = _reason(reason)
    if criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    if not not_applicable and (level is None or level.edition_id != cycle.edition_id):
        raise ReviewError(_("Choose one of the edition's levels, or Not applicable."), field="level")
    agreed = (AgreedRating.objects.select_for_update(of=("self",)).select_related("level")
              .filter(cycle=cycle, criterion=criterion).first())
    if agreed is None:
        raise ReviewError(_("%(code)s has no agreed rating to change.") % {"code": criterion.code})
    new_level = None if not_applicable else level
    if agreed.not_applicable == bool(not_applicable) and agreed.level_id == getattr(new_level, "pk", None):
        raise ReviewError(
            _("The agreed rating of %(code)s is already %(rating)s: choose a different rating, or leave it as it is.")
            % {"code": criterion.code, "rating": RatingChange.label(agreed.level, agreed.not_applicable)},
            field="level",
        )
    change = RatingChange(
        cycle=cycle, source=source, accuracy_comment=accuracy_comment, criterion=criterion,
        from_level=agreed.level, from_not_applicable=agreed.not_applicable,
        to_level=new_level, to_not_applicable=bool(not_applicable), reason=reason, by=by,
    )
    agreed.level = new_level
    agreed.not_applicable = bool(not_applicable)
    agreed.agreed_by = by
    agreed.version += 1
    agreed.save()
    change.version = agreed.version
    change.save()
    return change


@transaction.atomic
def record_finding_change(finding, *, text, reason, by, source, accuracy_comment=None):
    """Rewords a finding and records its wording before and after, and why."""
    reason = _reason(reason)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Write the finding's new wording."), field="text")
    if same_words(text, finding.text):
        raise ReviewError(_("The finding already reads like that: change its wording, or leave it as it is."),
                          field="text")
    version = RatingChange.objects.filter(finding=finding).count() + 1
    change = RatingChange.objects.create(
        cycle_id=finding.cycle_id, source=source, accuracy_comment=accuracy_comment, finding=finding,
        from_text=finding.text, to_text=text, reason=reason, version=version, by=by,
    )
    finding.text = text
    finding.save(update_fields=["text"])
    return change


@transaction.atomic
def comment_on_accuracy(cycle, *, text, criterion=None, finding=None, by):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.REPORT_DRAFT:
        raise ReviewError(_("Comments on factual accuracy are made while the report is a draft."))
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Write what is not accurate, and what is."), field="text")
    if (criterion is None) == (finding is None):
        raise ReviewError(_("Choose the agreed rating or the finding the comment is about."))
    if criterion is not None and criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    if finding is not None and finding.cycle_id != cycle.pk:
        raise ReviewError(_("That finding belongs to another review."))
    return AccuracyComment.objects.create(cycle=cycle, text=text, criterion=criterion, finding=finding, by=by)


@dataclass(frozen=True)
class Correction:
    """What an answer changes: the agreed rating the comment is about (`level` or `not_applicable`),
    or the finding it is about (`text`). `seen` is what the lead reviewer saw when answering: the
    agreed rating's version or the finding's wording, so that an answer never silently undoes a
    change made meanwhile."""

    level: object = None
    not_applicable: bool = False
    text: str | None = None
    seen: object = None


@transaction.atomic
def answer_accuracy_comment(comment, *, response, by, change=None, seen_response=None):
    """The lead reviewer's answer, and optionally the change it makes, with the answer as the reason.
    `seen_response` is the answer the lead reviewer saw ("" for none): a stale answer is refused."""
    cycle = locked(comment.cycle_id)
    comment = AccuracyComment.objects.select_for_update(of=("self",)).select_related("criterion", "finding").get(pk=comment.pk)
    if cycle.state != CycleState.REPORT_DRAFT:
        raise ReviewError(_("Comments are answered while the report is a draft."))
    response = (response or "").strip()
    if not response:
        raise ReviewError(_("Write an answer to the comment."), field="response")
    if seen_response is not None and not same_words(comment.response, seen_response):
        raise ReviewError(_("Someone else answered this comment while you were writing. Reload the page to see "
                            "their answer, then answer again if you need to."))
    if change is not None:
        _correct(cycle, comment, change, reason=response, by=by)
    comment.response = response
    comment.responded_by = by
    comment.responded_at = timezone.now()
    comment.save(update_fields=["response", "responded_by", "responded_at"])
    return comment


def _correct(cycle, comment, change, *, reason, by):
    stale = _("The %(what)s changed while you were answering. Reload the page to see it, then answer again.")
    if comment.criterion_id is not None:
        current = AgreedRating.objects.filter(cycle=cycle, criterion=comment.criterion).values_list("version", flat=True)
        if change.seen is not None and change.seen not in current:
            raise ReviewError(stale % {"what": _("agreed rating")})
        return record_rating_change(cycle, criterion=comment.criterion, level=change.level,
                                    not_applicable=change.not_applicable, reason=reason, by=by,
                                    source=ChangeSource.ACCURACY, accuracy_comment=comment)
    if change.seen is not None and not same_words(change.seen, comment.finding.text):
        raise ReviewError(stale % {"what": _("finding")})
    return record_finding_change(comment.finding, text=change.text, reason=reason, by=by,
                                 source=ChangeSource.ACCURACY, accuracy_comment=comment)
