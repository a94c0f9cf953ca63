"""The visit page (plan, timetable, team, starting the review), declared conflicts of interest,
and the peer review's section of the cycle page."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from assurance.access import require
from assurance.panels import Panel
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import Fact, disclosure, sees
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error, posted_action, posted_pk
from reviews.peer import invitation_queries, queries
from reviews.peer.calendar import visit_calendar, visit_filename
from reviews.peer.conflict_forms import ConflictForm
from reviews.peer.forms import TimetableItemForm, VisitForm
from reviews.peer.invitation_forms import ACCEPT, DECLINE, AvailabilityForm, InvitationAnswerForm, ProposeDatesForm
from reviews.peer.models import InvitationStatus, InviteeKind, ProposedDate, TeamRole, VisitInvitation
from reviews.peer.services import (
    add_team_member,
    add_timetable_item,
    declare_conflict,
    plan_visit,
    remove_team_member,
    remove_timetable_item,
    start_peer_review,
)
from reviews.peer.services.invitations import (
    agree_date,
    announce_date,
    answer_availability,
    answer_invitation,
    invite_newcomers,
    propose_dates,
    send_invitations,
    visit_to_come,
    withdraw_invitation,
)
from reviews.peer.suggestions import team_advice
from reviews.templatetags.review_tags import long_date

# The peer-review pages, in the order they happen: (rule, address, link text).
PEER_REVIEW_PAGES = [
    ("view_visit", "reviews:visit", gettext_lazy("Visit plan and review team")),
    ("view_own_ratings", "reviews:review", gettext_lazy("Your ratings")),
    ("view_agreement", "reviews:agreement", gettext_lazy("Every rating side by side, and agreeing ratings")),
    ("view_findings", "reviews:findings", gettext_lazy("Findings and action plan")),
    ("view_accuracy_comments", "reviews:accuracy", gettext_lazy("Comments on factual accuracy")),
    ("view_decision", "reviews:decision", gettext_lazy("Decision")),
]


def cycle_section(request, cycle, forms):
    """The peer-review pages this person may open for this cycle, in the order they happen."""
    user = request.user
    links = [(label, reverse(name, args=[cycle.pk])) for rule, name, label in PEER_REVIEW_PAGES
             if rules.test_rule(rule, user, cycle)]
    if rules.test_rule("give_feedback", user, cycle) or rules.test_rule("read_feedback", user, cycle):
        links.append((_("Feedback on the visit"), reverse("reviews:feedback", args=[cycle.pk])))
    if (not rules.test_rule("view_findings", user, cycle) and rules.test_rule("view_carried_actions", user, cycle)
            and queries.has_carried_actions(cycle)):
        links.append((_("Actions carried over from the last review"), reverse("reviews:findings", args=[cycle.pk])))
    return Panel("peer/_cycle_section.html", {"links": links}) if links else None


@login_required
@require_http_methods(["GET", "POST"])
def visit(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_visit", request.user, cycle)
    forms = {"visit": _visit_form(cycle), "item": TimetableItemForm(), "invitation": None,
             "proposed": ProposeDatesForm(), "availability": None}
    if request.method == "POST":
        handler = posted_action(request, VISIT_ACTIONS)
        require(ACTION_RULES.get(handler, "manage_visit"), request.user, cycle)
        response = handler(request, cycle, forms)
        if response is not None:
            return response
    may_manage = rules.test_rule("manage_visit", request.user, cycle)
    the_visit = getattr(cycle, "visit", None)
    context = {
        "cycle": cycle,
        "disclosed": disclosure(request.user, cycle),
        "the_visit": the_visit,
        "timetable": the_visit.timetable.all() if the_visit else [],
        "team": queries.team_of(cycle),
        "may_manage": may_manage,
        "visit_form": forms["visit"],
        "item_form": forms["item"],
        "team_advice": team_advice(cycle) if may_manage else None,
        "may_start": rules.test_rule("start_peer_review", request.user, cycle),
        **_invitations_context(request, cycle, the_visit, forms),
    }
    with_errors = [form for form in forms.values() if form is not None and form.errors]
    context["form"] = with_errors[0] if with_errors else forms["item"]
    return render(request, "peer/visit.html", context, status=400 if with_errors else 200)


def _invitations_context(request, cycle, the_visit, forms):
    """The invitations section for those who organise the visit, and each invitee's own."""
    # The organisers' list names the team and the service's lead: only for those who see the team.
    may_invite = rules.test_rule("invite_to_visit", request.user, cycle) and sees(request.user, cycle, Fact.TEAM)
    invitations = invitation_queries.invitations_of(the_visit)
    mine = invitation_queries.invitation_of(invitations, request.user)
    rows = invitation_queries.date_rows(the_visit, invitations) if may_invite or mine else []
    if mine is not None:
        if forms["invitation"] is None:
            forms["invitation"] = _answer_form(mine)
        if forms["availability"] is None and rows:
            forms["availability"] = AvailabilityForm(
                proposed_dates=[row.proposed for row in rows],
                initial={f"on_{row.proposed.pk}": row.answers.get(request.user.pk) for row in rows})
    return {
        "may_invite": may_invite,
        "invitations": invitations if may_invite else [],
        "uninvited": may_invite and _someone_uninvited(cycle, invitations),
        "declined": any(invitation.status == InvitationStatus.DECLINED and invitation.kind == InviteeKind.TEAM
                        for invitation in invitations),
        "date_rows": rows,
        "my_invitation": mine,
        "may_answer": mine is not None and visit_to_come(cycle, the_visit),
        "invitation_form": forms["invitation"],
        "proposed_form": forms["proposed"],
        "availability_form": forms["availability"],
    }


def _someone_uninvited(cycle, invitations):
    invited = {invitation.user_id for invitation in invitations}
    team = getattr(cycle, "visit", None) and cycle.visit.team.all()
    return bool(team) and any(member.user_id not in invited for member in team)


def _answer_form(invitation, data=None):
    answer = {InvitationStatus.ACCEPTED: ACCEPT, InvitationStatus.DECLINED: DECLINE}.get(invitation.status)
    return InvitationAnswerForm(data, initial={"answer": answer, "reason": invitation.reason})


def _visit_form(cycle, data=None):
    the_visit = getattr(cycle, "visit", None)
    return VisitForm(data, opened_on=timezone.localdate(cycle.opened_at), initial={
        "date": the_visit.date if the_visit else None,
        "notes": the_visit.notes if the_visit else "",
        "independent_ratings": cycle.independent_ratings,
    })


def _here(cycle):
    return redirect("reviews:visit", cycle.pk)


def _save_visit(request, cycle, forms):
    form = forms["visit"] = _visit_form(cycle, request.POST)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    before = getattr(cycle, "visit", None)
    planned = attempt(request, lambda: plan_visit(cycle, date=data["date"], notes=data["notes"], planned_by=request.user,
                                                  independent_ratings=data["independent_ratings"]),
                      _("The visit plan is saved."))
    if planned and (before is None or before.date != planned.date):
        announce_date(planned)
    return _here(cycle)


def _add_timetable_item(request, cycle, forms):
    form = forms["item"] = TimetableItemForm(request.POST)
    if not form.is_valid():
        return None

    def add_item():
        # Through plan_visit, which makes the visit if need be and refuses once the ratings are agreed.
        current = getattr(cycle, "visit", None)
        the_visit = plan_visit(cycle, date=current.date if current else None, notes=current.notes if current else "",
                               planned_by=request.user)
        return add_timetable_item(the_visit, **form.cleaned_data)

    attempt(request, add_item, _("Added to the timetable."))
    return _here(cycle)


def _remove_timetable_item(request, cycle, forms):
    item = queries.timetable_item(cycle, posted_pk(request.POST.get("remove_item")))
    if item:
        attempt(request, lambda: remove_timetable_item(item), _("Removed from the timetable."))
    return _here(cycle)


def _add_team_member(request, cycle, forms):
    user = queries.user_or_none(posted_pk(request.POST.get("user")))
    place = request.POST.get("place")
    if user is None or place not in TeamRole.values:
        messages.error(request, _("Choose a person and a place on the team."))
    else:
        if attempt(request, lambda: add_team_member(cycle, user=user, place=place, added_by=request.user),
                   _("%(person)s is on the team.") % {"person": user}):
            attempt(request, lambda: invite_newcomers(cycle, by=request.user))
    return _here(cycle)


def _remove_team_member(request, cycle, forms):
    member = queries.team_member_of(cycle, posted_pk(request.POST.get("remove_member")))
    if member:
        if attempt(request, lambda: remove_team_member(member, removed_by=request.user),
                   _("%(person)s is no longer on the team.") % {"person": member.user}):
            withdraw_invitation(cycle, member.user)
    return _here(cycle)


def _start_review(request, cycle, forms):
    if attempt(request, lambda: start_peer_review(cycle, started_by=request.user),
               _("The peer review has started. The reviewers can now rate.")):
        return redirect(cycle)
    return _here(cycle)


# --- invitations, proposed dates and availability ---------------------------------------------


def _send_invitations(request, cycle, forms):
    invited = attempt(request, lambda: send_invitations(cycle, by=request.user))
    if invited == []:
        messages.info(request, _("Everyone is already invited."))
    elif invited:
        messages.success(request, ngettext("%(count)d person is invited.", "%(count)d people are invited.",
                                           len(invited)) % {"count": len(invited)})
    return _here(cycle)


def _own_invitation(request, cycle):
    invitation = VisitInvitation.objects.filter(visit__cycle=cycle, user=request.user).select_related("visit").first()
    if invitation is None:
        raise Http404
    return invitation


def _answer_invitation(request, cycle, forms):
    invitation = _own_invitation(request, cycle)
    form = forms["invitation"] = _answer_form(invitation, request.POST)
    if not form.is_valid():
        return None
    accepted = form.cleaned_data["answer"] == ACCEPT
    try:
        answer_invitation(invitation, accepted=accepted, reason=form.cleaned_data["reason"])
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("Thank you: you accept the invitation.") if accepted
                     else _("Thank you: you decline the invitation, and the network administrator knows why."))
    return _here(cycle)


def _give_availability(request, cycle, forms):
    invitation = _own_invitation(request, cycle)
    proposed = list(ProposedDate.objects.filter(visit=invitation.visit))
    form = forms["availability"] = AvailabilityForm(request.POST, proposed_dates=proposed)
    if not form.is_valid():
        return None
    try:
        answer_availability(invitation.visit, request.user, form.answers())
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("Thank you: your answers on the dates are saved."))
    return _here(cycle)


def _propose_dates(request, cycle, forms):
    form = forms["proposed"] = ProposeDatesForm(request.POST)
    if not form.is_valid():
        return None
    try:
        propose_dates(cycle, form.dates(), by=request.user)
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("The dates are proposed. The people invited are asked which suit them."))
    return _here(cycle)


def _agree_date(request, cycle, forms):
    proposed = ProposedDate.objects.filter(visit__cycle=cycle, pk=posted_pk(request.POST.get("agree_date"))).first()
    if proposed is None:
        messages.error(request, _("That date is no longer proposed. Look at the dates again."))
    else:
        attempt(request, lambda: agree_date(cycle, proposed, by=request.user),
                _("The visit is on %(day)s. The people invited are told, with a calendar file.")
                % {"day": long_date(proposed.date)})
    return _here(cycle)


# Every POST action of the visit page, by the name of its button.
VISIT_ACTIONS = {
    "save_visit": _save_visit,
    "add_item": _add_timetable_item,
    "remove_item": _remove_timetable_item,
    "add_member": _add_team_member,
    "remove_member": _remove_team_member,
    "start_review": _start_review,
    "send_invitations": _send_invitations,
    "propose_dates": _propose_dates,
    "agree_date": _agree_date,
    "answer_invitation": _answer_invitation,
    "give_availability": _give_availability,
}
# Who may press each button (a network administrator, unless named here).
ACTION_RULES = {
    _send_invitations: "invite_to_visit",
    _propose_dates: "invite_to_visit",
    _agree_date: "invite_to_visit",
    _answer_invitation: "view_visit",  # the person's own invitation, or a 404
    _give_availability: "view_visit",
}


@login_required
@require_http_methods(["GET"])
def visit_ics(request, pk):
    """The agreed visit date as a calendar file, for those who see the visit plan."""
    cycle = cycle_or_404(request.user, pk)
    require("view_visit", request.user, cycle)
    the_visit = getattr(cycle, "visit", None)
    if the_visit is None or the_visit.date is None:
        raise Http404
    response = HttpResponse(visit_calendar(the_visit), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{visit_filename(the_visit)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def conflicts(request):
    """A reviewer's declared conflicts of interest: services, or whole organisations, they will
    never be asked to review."""
    require("declare_conflicts", request.user)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declare_conflict(user=request.user, **form.cleaned_data)
        except ReviewError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your conflict of interest is recorded."))
            return redirect("reviews:conflicts")
    declared = queries.conflicts_declared_by(request.user)
    return render(request, "peer/conflicts.html", {"form": form, "declared": declared})
