"""The self-assessment: answers per perspective, evidence, submitting and reopening."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assurance.storage import sha256_of
from reviews.cycles.models import Cycle, CycleState
from reviews.cycles.services import locked, move
from reviews.errors import ReviewError
from reviews.selfassessment.models import Evidence, EvidenceKind, Perspective, SelfRating
from reviews.selfassessment.queries import answer_sheet


@transaction.atomic
def submit_self_assessment(cycle, submitted_by):
    """Locks the self-assessment and moves the cycle on to the visit stage.

    Every criterion the staff rate must be answered, and every Not applicable needs a reason.
    Members' answers are their own voice: missing ones are shown, never demanded.
    """
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.OPEN:
        raise ReviewError(_("This self-assessment has already been submitted."))
    problems = answer_sheet(cycle, Perspective.STAFF).blocking_problems()
    if problems:
        raise ReviewError(
            ngettext(
                "The self-assessment cannot be submitted yet: %(count)d answer needs attention.",
                "The self-assessment cannot be submitted yet: %(count)d answers need attention.",
                len(problems),
            )
            % {"count": len(problems)}
        )
    move(cycle, CycleState.SELF_ASSESSMENT_SUBMITTED, submitted_by)
    cycle.submitted_at = timezone.now()
    cycle.submitted_by = submitted_by
    cycle.save(update_fields=["state", "submitted_at", "submitted_by"])
    return cycle


@transaction.atomic
def reopen_self_assessment(cycle, reopened_by, reason):
    cycle = locked(cycle.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Give a reason for reopening the self-assessment."), field="reason")
    if cycle.state != CycleState.SELF_ASSESSMENT_SUBMITTED:
        raise ReviewError(_("Only a submitted self-assessment can be reopened, before the visit starts."))
    move(cycle, CycleState.OPEN, reopened_by, reason)
    cycle.submitted_at = None
    cycle.submitted_by = None
    cycle.save(update_fields=["state", "submitted_at", "submitted_by"])
    return cycle


# --- answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a person sent for one criterion, and the version of the answer they started from."""

    criterion_id: int
    level_id: int | None = None
    not_applicable: bool = False
    not_applicable_reason: str = ""
    narrative: str = ""
    evidence_ids: frozenset = frozenset()
    base_version: int = 0

    def content(self):
        return (self.level_id, self.not_applicable, self.not_applicable_reason, self.narrative, self.evidence_ids)


def answer_content(rating):
    return (
        rating.level_id,
        rating.not_applicable,
        rating.not_applicable_reason,
        rating.narrative,
        frozenset(e.pk for e in rating.evidence.all()),
    )


@dataclass
class Conflict:
    """Someone else saved this answer after the person started editing it."""

    answer: Answer
    current: SelfRating


@dataclass
class SaveResult:
    saved: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)  # criterion id → version now stored


def save_answers(cycle, perspective, answers, saved_by):
    """Saves one perspective's answers, never overwriting a newer answer someone else saved.

    An answer whose base version is older than the stored one, and which differs from it, is
    not saved: it comes back as a conflict for the person to resolve. Answers equal to what is
    stored change nothing. Only the staff answer here: members answer the members' questionnaire.
    """
    if perspective != Perspective.STAFF:
        raise ReviewError(_("Members answer the members' questionnaire, not the self-assessment."))
    for attempt in range(2):
        try:
            return _save_answers(cycle, perspective, answers, saved_by)
        except IntegrityError:
            # Two first saves of the same answer raced; the second now finds the first's row.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _save_answers(cycle, perspective, answers, saved_by):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.OPEN:
        raise ReviewError(_("This self-assessment has been submitted, so its answers can no longer change."))
    stored = {
        rating.criterion_id: rating
        for rating in SelfRating.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, perspective=perspective, criterion_id__in=[a.criterion_id for a in answers])
        .select_related("criterion")  # the audit log names each saved answer by its criterion
        .prefetch_related("evidence")
    }
    result = SaveResult()
    for answer in answers:
        rating = stored.get(answer.criterion_id)
        current_version = rating.version if rating else 0
        if rating is not None and answer_content(rating) == answer.content():
            result.versions[answer.criterion_id] = current_version
            continue
        if rating is None and answer.content() == Answer(answer.criterion_id).content():
            result.versions[answer.criterion_id] = 0
            continue
        # A newer answer by someone else is never overwritten. One's own is: it is usually an
        # autosave that was still on its way when the person pressed a button.
        someone_else_saved = rating is not None and rating.updated_by_id != getattr(saved_by, "pk", None)
        if answer.base_version != current_version and (someone_else_saved or rating is None):
            result.conflicts.append(Conflict(answer, rating))
            result.versions[answer.criterion_id] = current_version
            continue
        rating = rating or SelfRating(cycle=cycle, criterion_id=answer.criterion_id, perspective=perspective)
        _apply(rating, answer, saved_by)
        result.saved.append(rating)
        result.versions[answer.criterion_id] = rating.version
    return result


def _apply(rating, answer, saved_by):
    rating.level_id = None if answer.not_applicable else answer.level_id
    rating.not_applicable = answer.not_applicable
    rating.not_applicable_reason = answer.not_applicable_reason if answer.not_applicable else ""
    rating.narrative = answer.narrative
    rating.version += 1
    rating.updated_by = saved_by
    rating.save()
    rating.evidence.set(answer.evidence_ids)


# --- evidence ---------------------------------------------------------------------------------


@transaction.atomic
def add_file_evidence(*, cycle, added_by, added_as, upload, detected_type, title, description="", effective_date=None,
                      require_open=True):
    """Adds a file; `require_open=False` for callers that check their own stage (a follow-up review)."""
    if require_open:
        _require_open(cycle)
    upload.seek(0)
    digest, _size = sha256_of(upload)
    upload.seek(0)
    evidence = Evidence(
        cycle=cycle,
        kind=EvidenceKind.FILE,
        title=title,
        description=description,
        original_name=upload.name[:255],
        content_type=detected_type,
        size=upload.size,
        sha256=digest,
        effective_date=effective_date,
        added_by=added_by,
        added_as=added_as,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def add_link_evidence(*, cycle, added_by, added_as, url, title, description="", effective_date=None,
                      require_open=True):
    if require_open:
        _require_open(cycle)
    return Evidence.objects.create(
        cycle=cycle,
        kind=EvidenceKind.LINK,
        title=title,
        description=description,
        url=url,
        effective_date=effective_date,
        added_by=added_by,
        added_as=added_as,
    )


def _require_open(cycle):
    if not Cycle.objects.filter(pk=cycle.pk, state=CycleState.OPEN).exists():
        raise ReviewError(_("This self-assessment has been submitted, so evidence can no longer be added."))
