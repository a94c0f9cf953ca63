"""What waits for people in a peer review, for the home page's "Waiting for you"
(assurance.waiting): for reviewers, the invitation and ratings of each visit, and for the lead
reviewer the agreeing, the draft report and the comments on it; for the service, the draft to
check, actions falling due and the feedback on the visit; for administrators, urgent concerns to
acknowledge there and then; for commissioners, urgent concerns escalated to them.

Each part runs a fixed number of queries, only for people with the role it is about, and shows a
fact only when the disclosure policy lets this person see it now."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.waiting import InPlaceAction, WaitingItem
from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Fact, sees
from reviews.peer.models import (
    AccuracyComment,
    Action,
    DateAvailability,
    Finding,
    FindingKind,
    InvitationStatus,
    ProposedDate,
    TeamMember,
    VisitFeedback,
    VisitInvitation,
)
from reviews.templatetags.review_tags import long_date

ACTIONS_DUE_WITHIN = datetime.timedelta(days=30)
# The service gives its feedback on the visit once the ratings are agreed, until the cycle closes.
FEEDBACK_STAGES = CycleState.SETTLED - {CycleState.CLOSED}


def waiting(request):
    user, roles = request.user, roles_of(request.user)
    items = []
    if roles.is_reviewer:
        items += _team_work(user)
    items += _invitations(user)
    if roles.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF):
        items += _service_work(user, roles)
        items += _actions_due(user, roles)
    if roles.is_network_admin:
        items += _urgent_concerns(user)
    if roles.service_ids(RoleKind.COMMISSIONER):
        items += _escalated_concerns(user, roles)
    return items


def _with_team(queryset, path):
    """Fetches each cycle's visit and team along: the disclosure policy reads them (no more queries)."""
    return queryset.select_related(f"{path}service", f"{path}visit").prefetch_related(f"{path}visit__team")


# --- the review team ---------------------------------------------------------------------------


def _team_work(user):
    unanswered = (
        AccuracyComment.objects.filter(cycle=OuterRef("visit__cycle"), responded_at__isnull=True)
        .values("cycle").annotate(n=Count("pk")).values("n")
    )
    places = (
        TeamMember.objects.filter(user=user, visit__cycle__state__in=CycleState.BEFORE_FINAL)
        .select_related("visit__cycle__service")
        .prefetch_related("visit__team")
        .annotate(unanswered_comments=Coalesce(Subquery(unanswered), 0))
        .order_by("visit__cycle__service__name")
    )
    items = []
    for place in places:
        items += _place_work(user, place)
    return items


def _place_work(user, place):
    cycle, visit = place.visit.cycle, place.visit
    service = cycle.service.name
    items = []
    if cycle.state == CycleState.VISIT and not place.has_submitted:
        items.append(WaitingItem(
            _("Your ratings for %(service)s are not submitted yet.") % {"service": service},
            reverse("reviews:review", args=[cycle.pk]), action_label=_("Rate and submit"),
        ))
    if not place.is_lead:
        return items
    everyone_submitted = all(member.has_submitted for member in visit.team.all())
    if cycle.state == CycleState.VISIT and everyone_submitted:
        items.append(WaitingItem(
            _("Every reviewer has submitted their ratings for %(service)s: agree the ratings.") % {"service": service},
            reverse("reviews:agreement", args=[cycle.pk]), action_label=_("Agree the ratings"),
        ))
    if cycle.state == CycleState.RATINGS_AGREED:
        items.append(WaitingItem(
            _("The ratings for %(service)s are agreed: send the draft report to the service.") % {"service": service},
            reverse("reviews:findings", args=[cycle.pk]), action_label=_("Send the draft report"),
        ))
    if cycle.state == CycleState.REPORT_DRAFT and place.unanswered_comments and sees(
            user, cycle, Fact.ACCURACY_COMMENTS):
        count = place.unanswered_comments
        text = (_("%(service)s commented on the accuracy of the draft report: 1 comment to answer.") if count == 1
                else _("%(service)s commented on the accuracy of the draft report: %(count)d comments to answer."))
        items.append(WaitingItem(text % {"service": service, "count": count},
                                 reverse("reviews:accuracy", args=[cycle.pk]), action_label=_("Answer the comments")))
    return items


def _invitations(user):
    """Invitations to a visit not answered yet, and proposed dates not yet said yes or no to."""
    answered_by_me = DateAvailability.objects.filter(proposed_date=OuterRef("pk"), user=user)
    dates = ProposedDate.objects.annotate(answered_by_me=Exists(answered_by_me))
    invitations = _with_team(
        VisitInvitation.objects.filter(user=user, visit__cycle__state__in=CycleState.TEAM_CAN_CHANGE)
        .exclude(status=InvitationStatus.DECLINED), "visit__cycle__",
    ).select_related("visit").prefetch_related(Prefetch("visit__proposed_dates", queryset=dates))
    today = timezone.localdate()
    items = []
    for invitation in invitations.order_by("visit__cycle__service__name"):
        cycle = invitation.visit.cycle
        if (invitation.visit.date and invitation.visit.date < today) or not sees(user, cycle, Fact.VISIT_PLAN):
            continue
        link, service = reverse("reviews:visit", args=[cycle.pk]), cycle.service.name
        if invitation.status == InvitationStatus.PENDING:
            items.append(WaitingItem(
                _("You are invited to the peer-review visit of %(service)s: say whether you will come.")
                % {"service": service}, link, action_label=_("Answer the invitation"),
            ))
        unanswered = [d for d in invitation.visit.proposed_dates.all() if not d.answered_by_me and d.date >= today]
        if unanswered:
            items.append(WaitingItem(
                _("Dates are proposed for the visit of %(service)s: say on which you could come.") % {"service": service},
                link, due=min(d.date for d in unanswered), action_label=_("Give your dates"),
            ))
    return items


# --- the service -------------------------------------------------------------------------------


def _service_work(user, roles):
    """For the service's lead and staff: the draft report to check; for its lead, the feedback on
    the visit."""
    gave_feedback = VisitFeedback.objects.filter(cycle=OuterRef("pk"), given_by=user)
    cycles = _with_team(
        Cycle.objects.filter(service_id__in=roles.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF),
                             state__in=FEEDBACK_STAGES), "",
    ).annotate(gave_feedback=Exists(gave_feedback)).order_by("service__name")
    items = []
    for cycle in cycles:
        service = cycle.service.name
        if cycle.state == CycleState.REPORT_DRAFT and sees(user, cycle, Fact.ACCURACY_COMMENTS):
            items.append(WaitingItem(
                _("The draft report of %(service)s is ready: check it, and comment on anything that is not "
                  "accurate.") % {"service": service},
                reverse("reviews:accuracy", args=[cycle.pk]), action_label=_("Check the draft report"),
            ))
        if roles.holds_for(cycle.service_id, RoleKind.SERVICE_LEAD) and not cycle.gave_feedback:
            items.append(WaitingItem(
                _("Tell the network how the peer-review visit of %(service)s went.") % {"service": service},
                reverse("reviews:feedback", args=[cycle.pk]), action_label=_("Give feedback on the visit"),
            ))
    return items


def _actions_due(user, roles):
    """Actions of the service's plan not done, overdue or due within 30 days (an action carried
    into a later cycle counts there, once)."""
    horizon = timezone.localdate() + ACTIONS_DUE_WITHIN
    actions = _with_team(
        Action.objects.still_open().filter(
            cycle__service_id__in=roles.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF), due_date__lte=horizon,
        ).filter(carried_to__isnull=True), "cycle__",
    ).select_related("cycle").order_by("due_date", "pk")
    items = []
    for action in actions:
        fact = Fact.CARRIED_ACTIONS if action.carried_from_id else Fact.ACTIONS
        if not sees(user, action.cycle, fact):
            continue
        items.append(WaitingItem(
            _("Action for %(service)s (%(owner)s): %(action)s")
            % {"service": action.cycle.service.name, "owner": action.owner, "action": action.description},
            reverse("reviews:action", args=[action.cycle_id, action.pk]), due=action.due_date,
            action_label=_("Record progress"),
        ))
    return items


# --- the network administrators and the commissioners -------------------------------------------


def _urgent_concerns(user):
    concerns = _with_team(
        Finding.objects.filter(kind=FindingKind.URGENT, acknowledged_at__isnull=True), "cycle__",
    ).select_related("cycle", "created_by").order_by("created_at", "pk")
    items = []
    for finding in concerns:
        if not sees(user, finding.cycle, Fact.URGENT_CONCERNS):
            continue
        link = reverse("reviews:findings", args=[finding.cycle_id])
        service = finding.cycle.service.name
        items.append(WaitingItem(
            _("Urgent concern at %(service)s, recorded on %(day)s: %(text)s")
            % {"service": service, "day": long_date(finding.created_at), "text": finding.text},
            f"{link}#finding-{finding.pk}", urgent=True, action_label=_("Read it on the findings page"),
            in_place=InPlaceAction(link, "acknowledge", str(finding.pk), _("Acknowledge"),
                                   about=_("the urgent concern at %(service)s") % {"service": service}),
        ))
    return items


def _escalated_concerns(user, roles):
    concerns = _with_team(
        Finding.objects.filter(cycle__service_id__in=roles.service_ids(RoleKind.COMMISSIONER),
                               kind=FindingKind.URGENT, escalated_at__isnull=False)
        .exclude(cycle__state=CycleState.CLOSED), "cycle__",
    ).select_related("cycle").order_by("-escalated_at", "pk")
    return [
        WaitingItem(
            _("Urgent concern at %(service)s, escalated to you on %(day)s: %(text)s Why: %(reason)s")
            % {"service": finding.cycle.service.name, "day": long_date(finding.escalated_at), "text": finding.text,
               "reason": finding.escalation_reason},
            reverse("reviews:cycle", args=[finding.cycle_id]), urgent=True, action_label=_("Go to the review"),
        )
        for finding in concerns if sees(user, finding.cycle, Fact.ESCALATED_URGENT_CONCERNS)
    ]
