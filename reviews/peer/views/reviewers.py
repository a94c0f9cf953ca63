"""Reviewers' records: the network administrators' list of every reviewer (training, vetting,
times unavailable, visits done) and each one's record; the reciprocity ledger; and a reviewer's
own record, where they say when they cannot visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assurance.access import require
from assurance.models import Unavailability
from reviews.errors import ReviewError
from reviews.pages import form_error, posted_action, posted_pk
from reviews.peer import records
from reviews.peer.ledger import reciprocity_ledger
from reviews.peer.record_forms import ReviewerRecordForm, UnavailabilityForm
from reviews.peer.services.records import add_unavailability, remove_unavailability, save_reviewer_record


@login_required
@require_GET
def reviewer_list(request):
    require("see_reviewers", request.user)
    return render(request, "peer/reviewers.html", {"rows": records.reviewers(),
                                                    "years": records.VISITS_DONE_YEARS})


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_detail(request, user_pk):
    require("see_reviewers", request.user)
    person = records.reviewer_person(user_pk)
    if person is None:
        raise Http404
    forms = {"record": _record_form(person), "unavailable": UnavailabilityForm()}
    if request.method == "POST":
        require("edit_reviewer_records", request.user)
        handler = posted_action(request, {"save_record": _save_record, "add_unavailable": _add_unavailable,
                                          "remove_unavailable": _remove_unavailable})
        if handler(request, person, forms):
            return redirect("reviews:reviewer", person.pk)
    with_errors = [form for form in forms.values() if form.errors]
    return render(request, "peer/reviewer.html", {
        "person": person,
        "row": records.reviewer_row(person),
        "record_form": forms["record"],
        "unavailable_form": forms["unavailable"],
        "form": with_errors[0] if with_errors else None,
        "years": records.VISITS_DONE_YEARS,
    }, status=400 if with_errors else 200)


def _record_form(person, data=None):
    record = records.reviewer_record_of(person)
    initial = {"trained_on": record.trained_on, "vetting": record.vetting,
               "vetting_expires_on": record.vetting_expires_on, "notes": record.notes} if record else {}
    return ReviewerRecordForm(data, initial=initial)


def _save_record(request, person, forms):
    form = forms["record"] = _record_form(person, request.POST)
    if not form.is_valid():
        return False
    try:
        save_reviewer_record(person, saved_by=request.user, **form.cleaned_data)
    except ReviewError as error:
        form_error(form, error)
        return False
    messages.success(request, _("%(person)s's reviewer record is saved.") % {"person": person})
    return True


def _add_unavailable(request, person, forms):
    form = forms["unavailable"] = UnavailabilityForm(request.POST)
    if not form.is_valid():
        return False
    try:
        add_unavailability(person, **form.cleaned_data)
    except ReviewError as error:
        form_error(form, error)
        return False
    messages.success(request, _("The time unavailable is recorded."))
    return True


def _remove_unavailable(request, person, forms):
    period = Unavailability.objects.filter(user=person, pk=posted_pk(request.POST.get("remove_unavailable"))).first()
    if period is None:
        raise Http404
    remove_unavailability(period)
    messages.success(request, _("The time unavailable is removed."))
    return True


@login_required
@require_GET
def reciprocity(request):
    require("see_reciprocity", request.user)
    return render(request, "peer/reciprocity.html", {"rows": reciprocity_ledger()})


@login_required
@require_http_methods(["GET", "POST"])
def own_record(request):
    """A reviewer's own record: their training and vetting as the network keeps them, and the
    times they cannot visit, which they add and remove themselves."""
    require("keep_own_reviewer_record", request.user)
    person = request.user
    forms = {"unavailable": UnavailabilityForm()}
    if request.method == "POST":
        handler = posted_action(request, {"add_unavailable": _add_unavailable,
                                          "remove_unavailable": _remove_unavailable})
        if handler(request, person, forms):
            return redirect("reviews:reviewer-record")
    form = forms["unavailable"]
    return render(request, "peer/reviewer_record.html", {
        "row": records.reviewer_row(person),
        "unavailable_form": form,
        "form": form if form.errors else None,
        "years": records.VISITS_DONE_YEARS,
    }, status=400 if form.errors else 200)
