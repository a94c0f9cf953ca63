"""Independent ratings by each reviewer, and agreeing ratings as a team."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.cycles.models import CycleState
from reviews.cycles.services import locked, move
from reviews.errors import ReviewError
from reviews.members.queries import cycle_members_voices
from reviews.peer.models import AgreedRating, PeerRating, TeamMember
from reviews.peer.queries import counted_peer_ratings
from reviews.scoring import level_in_words, spread
from reviews.selfassessment.models import Perspective, SelfRating
from standards.models import Criterion, RatedBy

# --- independent ratings ----------------------------------------------------------------------


@dataclass(frozen=True)
class PeerAnswer:
    criterion_id: int
    level_id: int | None = None
    not_applicable: bool = False
    abstained: bool = False
    abstain_reason: str = ""
    comment: str = ""
    base_version: int = 0

    def content(self):
        return (self.level_id, self.not_applicable, self.abstained, self.abstain_reason, self.comment)


@dataclass
class PeerSaveResult:
    saved: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # criterion ids saved meanwhile (another tab)
    versions: dict = field(default_factory=dict)


def _content(rating):
    return (rating.level_id, rating.not_applicable, rating.abstained, rating.abstain_reason, rating.comment)


@transaction.atomic
def save_peer_ratings(member, answers):
    """Saves a reviewer's own ratings. A version older than the stored one is not saved (the same
    reviewer in another tab or device saved meanwhile) unless the content is the same."""
    # Locks the reviewer's place, the visit and the cycle; the person comes along unlocked (the
    # audit log names each saved rating by its criterion and reviewer).
    member = (TeamMember.objects.select_for_update(of=("self", "visit", "visit__cycle"))
              .select_related("visit__cycle", "user").get(pk=member.pk))
    if member.visit.cycle.state != CycleState.VISIT:
        raise ReviewError(_("Ratings can be made only while the peer review is under way."))
    if member.has_submitted:
        raise ReviewError(_("You have submitted your ratings, so they can no longer change."))
    stored = {
        r.criterion_id: r
        for r in PeerRating.objects.select_for_update(of=("self",)).select_related("criterion").filter(
            team_member=member, criterion_id__in=[a.criterion_id for a in answers]
        )
    }
    result = PeerSaveResult()
    for answer in answers:
        rating = stored.get(answer.criterion_id)
        version = rating.version if rating else 0
        if (rating and _content(rating) == answer.content()) or (not rating and not any(answer.content())):
            result.versions[answer.criterion_id] = version
            continue
        if answer.base_version != version:
            result.conflicts.append(answer.criterion_id)
            result.versions[answer.criterion_id] = version
            continue
        rating = rating or PeerRating(criterion_id=answer.criterion_id)
        rating.team_member = member
        rating.level_id = answer.level_id if not (answer.not_applicable or answer.abstained) else None
        rating.not_applicable = answer.not_applicable
        rating.abstained = answer.abstained
        rating.abstain_reason = answer.abstain_reason if answer.abstained else ""
        rating.comment = answer.comment
        rating.version = version + 1
        rating.save()
        result.saved.append(rating)
        result.versions[answer.criterion_id] = rating.version
    return result


def unrated_criteria(member):
    """Criteria this reviewer has not yet rated, marked N/A, or abstained on with a reason."""
    criteria = list(member.visit.cycle.edition.criteria.select_related("value").order_by("value__order", "order"))
    done = {rating.criterion_id for rating in member.ratings.all() if rating.is_answered}
    return [c for c in criteria if c.pk not in done]


@transaction.atomic
def submit_peer_ratings(member):
    member = TeamMember.objects.select_for_update().select_related("visit__cycle__edition").get(pk=member.pk)
    if member.visit.cycle.state != CycleState.VISIT:
        raise ReviewError(_("Ratings can be submitted only while the peer review is under way."))
    if member.has_submitted:
        raise ReviewError(_("You have already submitted your ratings."))
    missing = unrated_criteria(member)
    if missing:
        raise ReviewError(
            ngettext(
                "%(count)d criterion still needs a rating, Not applicable, or an abstention with a reason: %(codes)s.",
                "%(count)d criteria still need a rating, Not applicable, or an abstention with a reason: %(codes)s.",
                len(missing),
            )
            % {"count": len(missing), "codes": ", ".join(c.code for c in missing[:12])}
        )
    member.ratings_submitted_at = timezone.now()
    member.save(update_fields=["ratings_submitted_at"])
    return member


# --- agreeing ratings -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedAnswer:
    """The lead's answer for one criterion on the agree-by-value page. Neither a level nor Not
    applicable: nothing chosen (left for later)."""

    criterion_id: int
    level_id: int | None = None
    not_applicable: bool = False
    rationale: str = ""
    base_version: int = 0

    @property
    def chosen(self):
        return self.level_id is not None or self.not_applicable


@dataclass
class AgreeValueResult:
    saved: list = field(default_factory=list)  # AgreedRating, as now stored
    errors: dict = field(default_factory=dict)  # criterion id → ReviewError (nothing saved for it)


@dataclass(frozen=True)
class OtherViews:
    """What an agreed rating is weighed against: the reviewers' counted ratings (level values, None
    for Not applicable; abstentions left out), the members' level once they count, and the staff's
    answered self-rating (none for criteria only members rate)."""

    reviewers: list
    members: int | None
    staff: object


def views_to_weigh(cycle, criteria):
    """{criterion id: OtherViews} for these criteria, in a fixed number of queries."""
    ids = [c.pk for c in criteria]
    reviewers = {pk: [] for pk in ids}
    counted = counted_peer_ratings(cycle).filter(criterion__in=ids).filter(Q(level__isnull=False) | Q(not_applicable=True))
    for rating in counted.select_related("level"):
        reviewers[rating.criterion_id].append(rating.level.value if rating.level_id else None)
    voices = cycle_members_voices(cycle)
    staff = {
        r.criterion_id: r
        for r in SelfRating.objects.filter(cycle=cycle, criterion__in=ids, perspective=Perspective.STAFF).select_related("level")
        if r.is_answered
    }
    return {
        c.pk: OtherViews(
            reviewers=reviewers[c.pk],
            members=getattr(voices.get(c.pk), "level", None),
            staff=staff.get(c.pk) if c.rated_by != RatedBy.MEMBERS else None,
        )
        for c in criteria
    }


def rationale_needed(cycle, criterion, level, not_applicable):
    """Why the lead must explain this agreed rating, or None: it differs from the reviewers'
    median, from the members' view (once members count) or from the service's own rating."""
    views = views_to_weigh(cycle, [criterion])[criterion.pk]
    return _why_explain(views, level, not_applicable, {lv.value: lv.label for lv in cycle.edition.rating_levels})


def _why_explain(views, level, not_applicable, labels):
    agreed = None if not_applicable else level.value
    differs = []
    median = spread(views.reviewers).median
    if median is not None and (agreed is None or abs(agreed - median) >= 1):
        differs.append(_("the reviewers' median (%(rating)s)") % {"rating": level_in_words(median, labels)})
    elif median is None and views.reviewers and agreed is not None:  # every reviewer said Not applicable
        differs.append(_("the reviewers' view (all Not applicable)"))
    if views.members is not None and agreed != views.members:
        differs.append(_("the members' view (%(rating)s)") % {"rating": labels.get(views.members, views.members)})
    own = views.staff
    if own is not None and (own.not_applicable != not_applicable or (agreed is not None and own.level.value != agreed)):
        rating = _("Not applicable") if own.not_applicable else own.level.label
        differs.append(_("the service's own rating (%(rating)s)") % {"rating": rating})
    if not differs:
        return None
    views_named = differs[0] if len(differs) == 1 else _("%(some)s and from %(last)s") % {
        "some": _(", from ").join(differs[:-1]), "last": differs[-1],
    }
    return _("the agreed rating differs from %(views)s") % {"views": views_named}


def _may_agree(cycle):
    if cycle.state != CycleState.VISIT:
        raise ReviewError(_("Ratings can be agreed only while the peer review is under way."))


def _record(cycle, criterion, answer, *, level, stored, views, labels, agreed_by):
    """Checks one agreed rating against the rule and saves it; the one path of both services."""
    if not answer.not_applicable and level is None:
        raise ReviewError(_("Choose one of the edition's levels, or Not applicable."), field="level")
    version = stored.version if stored else 0
    if answer.base_version != version:
        raise ReviewError(
            _("Someone else recorded an agreed rating for %(code)s while you were looking at it. Reload the page to see it.")
            % {"code": criterion.code}, field="level",
        )
    rationale = (answer.rationale or "").strip()
    why = _why_explain(views, level, answer.not_applicable, labels)
    if why and not rationale:
        raise ReviewError(_("Give a rationale: %(why)s.") % {"why": why}, field="rationale")
    agreed = stored or AgreedRating(cycle=cycle)
    agreed.criterion = criterion
    agreed.level = None if answer.not_applicable else level
    agreed.not_applicable = answer.not_applicable
    agreed.rationale = rationale
    agreed.agreed_by = agreed_by
    agreed.version = version + 1
    agreed.save()
    return agreed


def _levels_by_pk(cycle):
    levels = cycle.edition.rating_levels
    return {lv.pk: lv for lv in levels}, {lv.value: lv.label for lv in levels}


@transaction.atomic
def agree_rating(cycle, *, criterion, level, not_applicable, rationale, agreed_by, base_version):
    cycle = locked(cycle.pk)
    _may_agree(cycle)
    if criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    levels, labels = _levels_by_pk(cycle)
    answer = AgreedAnswer(criterion.pk, getattr(level, "pk", None), not_applicable, rationale, base_version)
    stored = AgreedRating.objects.select_for_update().filter(cycle=cycle, criterion=criterion).first()
    return _record(cycle, criterion, answer, level=levels.get(answer.level_id), stored=stored,
                   views=views_to_weigh(cycle, [criterion])[criterion.pk], labels=labels, agreed_by=agreed_by)


@transaction.atomic
def agree_value(cycle, *, answers, agreed_by):
    """Records the lead's agreed ratings for several criteria (one value's) at once. Each changed
    answer is checked on its own: the valid ones are saved, and each refused one is returned with
    its error; unchanged and unchosen ones are left as they are."""
    cycle = locked(cycle.pk)
    _may_agree(cycle)
    ids = [answer.criterion_id for answer in answers]
    criteria = {c.pk: c for c in Criterion.objects.filter(edition=cycle.edition_id, pk__in=ids)}
    if len(criteria) != len(set(ids)):
        raise ReviewError(_("That criterion is not part of this review."))
    levels, labels = _levels_by_pk(cycle)
    stored = {a.criterion_id: a for a in AgreedRating.objects.select_for_update().filter(cycle=cycle, criterion__in=ids)}
    views = views_to_weigh(cycle, list(criteria.values()))
    result = AgreeValueResult()
    for answer in answers:
        criterion, agreed = criteria[answer.criterion_id], stored.get(answer.criterion_id)
        if _unchanged(agreed, answer):
            continue
        if not answer.chosen:
            result.errors[criterion.pk] = ReviewError(
                _("Choose the agreed rating for %(code)s.") % {"code": criterion.code}, field="level")
            continue
        try:
            result.saved.append(_record(cycle, criterion, answer, level=levels.get(answer.level_id), stored=agreed,
                                        views=views[criterion.pk], labels=labels, agreed_by=agreed_by))
        except ReviewError as error:
            result.errors[criterion.pk] = error
    return result


def _unchanged(agreed, answer):
    """Nothing to save: the answer is what is stored, or nothing is chosen nor written (the
    criterion is left for later; an agreed rating is never taken back this way)."""
    if not answer.chosen:
        return not (answer.rationale or "").strip()
    if agreed is None:
        return False
    return (agreed.level_id if not agreed.not_applicable else None, agreed.not_applicable, agreed.rationale) == (
        None if answer.not_applicable else answer.level_id, answer.not_applicable, (answer.rationale or "").strip()
    )


@transaction.atomic
def finish_agreeing(cycle, *, finished_by):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.VISIT:
        raise ReviewError(_("The ratings can be finished only while the peer review is under way."))
    agreed = set(AgreedRating.objects.filter(cycle=cycle).values_list("criterion_id", flat=True))
    missing = [c.code for c in cycle.edition.criteria.order_by("value__order", "order") if c.pk not in agreed]
    if missing:
        raise ReviewError(
            ngettext(
                "%(count)d criterion has no agreed rating yet: %(codes)s.",
                "%(count)d criteria have no agreed rating yet: %(codes)s.",
                len(missing),
            )
            % {"count": len(missing), "codes": ", ".join(missing[:12])}
        )
    move(cycle, CycleState.RATINGS_AGREED, finished_by)
    cycle.save(update_fields=["state"])
    return cycle
