"""The appeal page: the service's lead lodges an appeal with its grounds, within the window; a
network administrator appoints its panel; a panel member decides it. Everyone who may know of the
appeal sees where it stands; its grounds, panel and reasons only those who may see them."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.decisions.forms.appeals import AppointPanelForm, DecideAppealForm, LodgeAppealForm
from reviews.decisions.models import AppealStatus
from reviews.decisions.queries.appeals import appeals_of, open_appeal, panel_candidates
from reviews.decisions.services.appeals import (
    appeal_deadline,
    appoint_panel,
    decide_appeal,
    lodge_appeal,
    withdraw_appeal,
)
from reviews.disclosure import Fact, disclosure
from reviews.errors import ReviewError
from reviews.pages import form_error, posted_action


def run(request, form, action, success):
    """Runs a domain action for a valid form: a broken rule goes next to the field it names."""
    if not form.is_valid():
        return False
    try:
        action()
    except ReviewError as error:
        form_error(form, error)
        return False
    messages.success(request, success)
    return True


def _lodge(request, cycle, forms):
    form = forms["lodge"] = LodgeAppealForm(request.POST)
    return run(request, form, lambda: lodge_appeal(cycle, grounds=form.cleaned_data["grounds"], lodged_by=request.user),
               _("Your appeal is lodged. A panel of people not involved in the review will decide it."))


def _appoint(request, cycle, forms):
    form = forms["panel"] = AppointPanelForm(request.POST, candidates=panel_candidates(cycle))
    appeal = open_appeal(cycle)
    return appeal is not None and run(
        request, form, lambda: appoint_panel(appeal, members=form.cleaned_data["members"], appointed_by=request.user),
        _("The appeal panel is appointed."))


def _decide(request, cycle, forms):
    form = forms["decide"] = DecideAppealForm(request.POST)
    appeal = open_appeal(cycle)
    return appeal is not None and run(
        request, form, lambda: decide_appeal(appeal, decided_by=request.user, **form.cleaned_data),
        _("The panel's decision is recorded."))


def _withdraw(request, cycle, forms):
    appeal = open_appeal(cycle)
    if appeal is None:
        return True
    try:
        withdraw_appeal(appeal, withdrawn_by=request.user)
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The appeal is withdrawn."))
    return True


# Every POST action of the appeal page, by the name of its button: (the rule it needs, its handler).
APPEAL_ACTIONS = {
    "lodge": ("lodge_appeal", _lodge),
    "appoint": ("appoint_appeal_panel", _appoint),
    "decide": ("decide_appeal", _decide),
    "withdraw": ("withdraw_appeal", _withdraw),
}


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_appeal", request.user, cycle)
    forms = {}
    if request.method == "POST":
        rule, handler = posted_action(request, APPEAL_ACTIONS)
        require(rule, request.user, cycle)
        if handler(request, cycle, forms):
            return redirect("reviews:appeal", cycle.pk)
    context = _context(request, cycle, forms)
    return render(request, "decisions/appeal.html", context, status=400 if any(f.errors for f in forms.values()) else 200)


def _context(request, cycle, forms):
    user = request.user
    disclosed = disclosure(user, cycle)
    decision = getattr(cycle, "decision", None)
    appeals = appeals_of(cycle)
    current = next((appeal for appeal in appeals if appeal.status == AppealStatus.LODGED), None)
    deadline = appeal_deadline(decision) if decision is not None else None
    may_lodge = (rules.test_rule("lodge_appeal", user, cycle) and decision is not None and current is None
                 and not any(appeal.status == AppealStatus.DECIDED for appeal in appeals))
    # A panel member decides; changing who sits on the panel is for another administrator.
    may_appoint = (current is not None and rules.test_rule("appoint_appeal_panel", user, cycle)
                   and all(member.pk != user.pk for member in current.panel.all()))
    return {
        "cycle": cycle,
        "disclosed": disclosed,
        "decision": decision if Fact.DECISION in disclosed else None,
        "appeals": appeals,
        "current": current,
        "deadline": deadline,
        "window_open": deadline is not None and timezone.localdate() <= deadline,
        "may_lodge": may_lodge,
        "lodge_form": forms.get("lodge") or LodgeAppealForm(),
        "may_appoint": may_appoint,
        "panel_form": forms.get("panel") or (AppointPanelForm(
            candidates=panel_candidates(cycle), initial={"members": list(current.panel.all())}) if may_appoint else None),
        "may_decide": current is not None and rules.test_rule("decide_appeal", user, cycle),
        "decide_form": forms.get("decide") or DecideAppealForm(),
        "may_withdraw": current is not None and rules.test_rule("withdraw_appeal", user, cycle),
        "form": next((form for form in forms.values() if form.errors), None),
    }
