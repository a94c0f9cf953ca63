"""The visit page (plan, timetable, team, starting the review), declared conflicts of interest,
and the peer review's section of the cycle page."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assurance.access import require
from assurance.panels import Panel
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error, posted_action, posted_pk
from reviews.peer import queries
from reviews.peer.conflict_forms import ConflictForm
from reviews.peer.forms import TimetableItemForm, VisitForm
from reviews.peer.models import TeamRole
from reviews.peer.services import (
    add_team_member,
    add_timetable_item,
    declare_conflict,
    plan_visit,
    remove_team_member,
    remove_timetable_item,
    start_peer_review,
)

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
    forms = {"visit": _visit_form(cycle), "item": TimetableItemForm()}
    if request.method == "POST":
        require("manage_visit", request.user, cycle)
        handler = posted_action(request, VISIT_ACTIONS)
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
        "form": forms["visit"] if forms["visit"].errors else forms["item"],
        "candidates": queries.eligible_reviewers(cycle) if may_manage else [],
        "may_start": rules.test_rule("start_peer_review", request.user, cycle),
    }
    status = 400 if forms["visit"].errors or forms["item"].errors else 200
    return render(request, "peer/visit.html", context, status=status)


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
    attempt(request, lambda: plan_visit(cycle, date=data["date"], notes=data["notes"], planned_by=request.user,
                                        independent_ratings=data["independent_ratings"]), _("The visit plan is saved."))
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
        attempt(request, lambda: add_team_member(cycle, user=user, place=place, added_by=request.user),
                _("%(person)s is on the team.") % {"person": user})
    return _here(cycle)


def _remove_team_member(request, cycle, forms):
    member = queries.team_member_of(cycle, posted_pk(request.POST.get("remove_member")))
    if member:
        attempt(request, lambda: remove_team_member(member, removed_by=request.user),
                _("%(person)s is no longer on the team.") % {"person": member.user})
    return _here(cycle)


def _start_review(request, cycle, forms):
    if attempt(request, lambda: start_peer_review(cycle, started_by=request.user),
               _("The peer review has started. The reviewers can now rate.")):
        return redirect(cycle)
    return _here(cycle)


# Every POST action of the visit page, by the name of its button.
VISIT_ACTIONS = {
    "save_visit": _save_visit,
    "add_item": _add_timetable_item,
    "remove_item": _remove_timetable_item,
    "add_member": _add_team_member,
    "remove_member": _remove_team_member,
    "start_review": _start_review,
}


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
