"""The award's interim review page: a network administrator asks for it, the service writes its
light update (what has changed, a note per value) and submits it, the lead reviewer or an
administrator records that they read it, with a note."""

import rules
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.decisions.forms.lifecycle import InterimUpdateForm, ReadInterimForm, RequestInterimForm
from reviews.decisions.services.lifecycle import (
    mid_term,
    open_interim_review,
    record_interim_read,
    request_interim_review,
    save_interim_update,
)
from reviews.decisions.views.appeals import run
from reviews.disclosure import Fact, disclosure
from reviews.pages import posted_action


def _request(request, cycle, forms):
    form = forms["request"] = RequestInterimForm(request.POST)
    return run(request, form, lambda: request_interim_review(cycle, due_on=form.cleaned_data["due_on"],
                                                             requested_by=request.user),
               _("The interim review is asked for. The service can now write its update."))


def _update(request, cycle, forms, submit=False):
    interim = open_interim_review(cycle)
    form = forms["update"] = InterimUpdateForm(request.POST, values=cycle.edition.values.order_by("order"))
    return interim is not None and run(
        request, form, lambda: save_interim_update(
            interim, statement=form.cleaned_data["statement"], by_value=form.by_value(),
            base_version=form.cleaned_data["base_version"], saved_by=request.user, submit=submit),
        _("Your update is submitted to the network.") if submit else _("Your update is saved."))


def _read(request, cycle, forms):
    interim = open_interim_review(cycle)
    form = forms["read"] = ReadInterimForm(request.POST)
    return interim is not None and run(
        request, form, lambda: record_interim_read(interim, note=form.cleaned_data["note"], read_by=request.user),
        _("Recorded as read, with your note."))


INTERIM_ACTIONS = {
    "request": ("request_interim_review", _request),
    "save": ("update_interim_review", _update),
    "submit": ("update_interim_review", lambda request, cycle, forms: _update(request, cycle, forms, submit=True)),
    "read": ("read_interim_review", _read),
}


@login_required
@require_http_methods(["GET", "POST"])
def interim_review(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_interim_review", request.user, cycle)
    forms = {}
    if request.method == "POST":
        rule, handler = posted_action(request, INTERIM_ACTIONS)
        require(rule, request.user, cycle)
        if handler(request, cycle, forms):
            return redirect("reviews:interim-review", cycle.pk)
    context = _context(request, cycle, forms)
    return render(request, "decisions/interim_review.html", context,
                  status=400 if any(form.errors for form in forms.values()) else 200)


def _context(request, cycle, forms):
    user = request.user
    disclosed = disclosure(user, cycle)
    decision = getattr(cycle, "decision", None) if Fact.DECISION in disclosed else None
    reviews = list(cycle.interim_reviews.select_related("submitted_by", "reviewed_by").order_by("-due_on", "-pk"))
    current = next((item for item in reviews if item.reviewed_at is None), None)
    values = list(cycle.edition.values.order_by("order"))
    for item in reviews:
        item.notes = [(value, item.by_value.get(value.code, "")) for value in values if item.by_value.get(value.code)]
    may_update = current is not None and current.submitted_at is None and rules.test_rule("update_interim_review", user, cycle)
    may_request = (current is None and decision is not None and decision.is_award and decision.valid_until is not None
                   and rules.test_rule("request_interim_review", user, cycle))
    return {
        "cycle": cycle,
        "decision": decision,
        "reviews": reviews,
        "current": current,
        "may_request": may_request,
        "request_form": forms.get("request") or RequestInterimForm(),
        "mid_term": mid_term(decision) if may_request else None,
        "may_update": may_update,
        "update_form": forms.get("update") or (_update_form(current, values) if may_update else None),
        "may_read": (current is not None and current.submitted_at is not None
                     and rules.test_rule("read_interim_review", user, cycle)),
        "read_form": forms.get("read") or ReadInterimForm(),
        "form": next((form for form in forms.values() if form.errors), None),
    }


def _update_form(interim, values):
    initial = {"base_version": interim.version, "statement": interim.statement}
    initial |= {f"value-{code}": text for code, text in interim.by_value.items()}
    return InterimUpdateForm(initial=initial, values=values)
