"""Findings and the action plan (findings), and one action's progress (action_detail)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import Fact, disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error, posted_action, posted_pk
from reviews.peer import queries
from reviews.peer.forms import ActionForm, ActionUpdateForm, EscalationForm, FindingForm
from reviews.peer.models import FindingKind
from reviews.peer.services import (
    acknowledge_urgent_concern,
    add_action,
    add_finding,
    escalate_urgent_concern,
    send_draft_report,
    update_action,
)
from reviews.peer.services.outcomes import action_plan_closes_on


def _disclosed(request, cycle):
    """What the person sees here. Without any finding, before the draft report, the service still
    sees the actions carried over from its last review; anyone who sees neither gets a 404."""
    if not rules.test_rule("view_findings", request.user, cycle):
        require("view_carried_actions", request.user, cycle)
    return disclosure(request.user, cycle)


@login_required
@require_http_methods(["GET", "POST"])
def findings(request, pk):
    cycle = cycle_or_404(request.user, pk)
    disclosed = _disclosed(request, cycle)
    criteria = list(cycle.edition.criteria.order_by("value__order", "order"))
    shown = queries.disclosed_findings(cycle, disclosed)
    forms = {
        "finding": FindingForm(criteria=criteria, prefix="finding"),
        "action": ActionForm(findings=shown, criteria=criteria, prefix="action"),
        "escalation": None,  # bound when an escalation needs correcting
    }
    if request.method == "POST":
        rule, handler = posted_action(request, FINDINGS_ACTIONS)
        require(rule, request.user, cycle)
        response = handler(request, cycle, forms, criteria, shown)
        if response is not None:
            return response
    _attach_escalation_forms(shown, forms["escalation"])
    context = {
        "cycle": cycle,
        "disclosed": disclosed,
        "findings_by_kind": [(kind, label, [f for f in shown if f.kind == kind])
                             for kind, label in FindingKind.choices if _kind_shown(kind, disclosed)],
        "actions": queries.disclosed_actions(cycle, disclosed),
        "may_record": rules.test_rule("record_findings", request.user, cycle),
        "may_add_action": rules.test_rule("add_actions", request.user, cycle),
        "action_plan_closes": action_plan_closes_on(cycle),
        "may_update_actions": rules.test_rule("update_actions", request.user, cycle),
        "may_send_draft": rules.test_rule("send_draft_report", request.user, cycle),
        "may_acknowledge": rules.test_rule("acknowledge_urgent_concerns", request.user),
        "may_escalate": rules.test_rule("escalate_urgent_concerns", request.user),
        "finding_form": forms["finding"],
        "action_form": forms["action"],
        "form": next((form for form in forms.values() if form is not None and form.errors), forms["action"]),
    }
    status = 400 if any(form is not None and form.errors for form in forms.values()) else 200
    return render(request, "peer/findings.html", context, status=status)


def _attach_escalation_forms(findings, bound):
    """Each urgent concern not yet escalated gets its own escalation form (the one that needs
    correcting keeps what was typed)."""
    for finding in findings:
        if finding.kind == FindingKind.URGENT and not finding.is_escalated:
            same = bound is not None and bound.finding.pk == finding.pk
            finding.escalation_form = bound if same else EscalationForm(prefix=f"escalation-{finding.pk}")


def _kind_shown(kind, disclosed):
    if kind == FindingKind.URGENT and Fact.ESCALATED_URGENT_CONCERNS in disclosed:
        return True
    return queries.FINDING_FACTS[kind] in disclosed


def _here(cycle):
    return redirect("reviews:findings", cycle.pk)


def _add_finding(request, cycle, forms, criteria, all_findings):
    form = forms["finding"] = FindingForm(request.POST, criteria=criteria, prefix="finding")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    urgent = data["kind"] == FindingKind.URGENT
    message = _("Urgent concern recorded. The network administrators have been told.") if urgent else _(
        "Finding recorded.")
    if attempt(request, lambda: add_finding(cycle, kind=data["kind"], text=data["text"],
                                            criterion=form.chosen_criterion, added_by=request.user), message):
        return _here(cycle)
    return None


def _add_action(request, cycle, forms, criteria, all_findings):
    form = forms["action"] = ActionForm(request.POST, findings=all_findings, criteria=criteria, prefix="action")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        add_action(cycle, description=data["description"], owner=data["owner"], due_date=data["due_date"],
                   added_by=request.user, **form.linked())
    except ReviewError as error:
        form_error(form, error)  # shown above the form, which keeps what was typed
        return None
    messages.success(request, _("Action added to the plan."))
    return _here(cycle)


def _acknowledge(request, cycle, forms, criteria, all_findings):
    finding = get_object_or_404(queries.findings_of(cycle, as_queryset=True), pk=posted_pk(request.POST.get("acknowledge")))
    attempt(request, lambda: acknowledge_urgent_concern(finding, acknowledged_by=request.user),
            _("Urgent concern acknowledged."))
    # Acknowledged from the home page's "Waiting for you": back there.
    return redirect("home") if request.POST.get("next") == reverse("home") else _here(cycle)


def _escalate(request, cycle, forms, criteria, all_findings):
    finding = get_object_or_404(queries.findings_of(cycle, as_queryset=True), pk=posted_pk(request.POST.get("escalate")))
    form = forms["escalation"] = EscalationForm(request.POST, prefix=f"escalation-{finding.pk}")
    form.finding = finding
    if not form.is_valid():
        return None
    try:
        escalate_urgent_concern(finding, escalated_by=request.user, reason=form.cleaned_data["reason"])
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("The urgent concern is escalated. The service's commissioners have been told."))
    return _here(cycle)


def _send_draft(request, cycle, forms, criteria, all_findings):
    if attempt(request, lambda: send_draft_report(cycle, sent_by=request.user),
               _("The draft report has gone to the service for comments on factual accuracy.")):
        return redirect(cycle)
    return _here(cycle)


# Every POST action of the findings page, by the name of its button: (the rule it needs, its handler).
FINDINGS_ACTIONS = {
    "add_finding": ("record_findings", _add_finding),
    "add_action": ("post_actions", _add_action),
    "acknowledge": ("acknowledge_urgent_concerns", _acknowledge),
    "escalate": ("escalate_urgent_concerns", _escalate),
    "send_draft": ("send_draft_report", _send_draft),
}


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk, action_pk):
    cycle = cycle_or_404(request.user, pk)
    action = get_object_or_404(queries.disclosed_actions(cycle, _disclosed(request, cycle)), pk=action_pk)
    may_verify = rules.test_rule("verify_actions", request.user, cycle)
    form = ActionUpdateForm(request.POST or None, may_verify=may_verify, initial={"status": action.status})
    if request.method == "POST":
        require("update_actions", request.user, cycle)
        if form.is_valid():
            try:
                update_action(action, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                              updated_by=request.user, may_verify=may_verify)
            except ReviewError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Progress recorded."))
                return redirect("reviews:action", cycle.pk, action.pk)
    context = {
        "cycle": cycle,
        "action": action,
        "notes": queries.notes_on(action),
        "form": form,
        "may_update": rules.test_rule("update_actions", request.user, cycle),
    }
    return render(request, "peer/action.html", context, status=400 if form.errors else 200)
