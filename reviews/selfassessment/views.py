"""Pages of the self-assessment: the task list (hub), every answer, evidence, reopening, and the
self-assessment's section of the cycle page. The wizard and its autosave are in wizard.py."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assurance.access import require
from assurance.panels import Panel
from reviews.cycles.access import cycle_or_404
from reviews.cycles.page import render_cycle_page
from reviews.cycles.rules import is_member_of_cycle_service
from reviews.errors import ReviewError
from reviews.pages import form_error
from reviews.selfassessment import queries
from reviews.selfassessment.forms import EvidenceFileForm, EvidenceLinkForm, ReopenForm
from reviews.selfassessment.models import Perspective
from reviews.selfassessment.rules import perspective_for
from reviews.selfassessment.services import add_file_evidence, add_link_evidence, reopen_self_assessment


def cycle_section(request, cycle, forms):
    """The self-assessment on the cycle page: the staff's progress, and the administrator's form
    to reopen a submitted self-assessment. (The members' voice has its own section.)"""
    sheets = {}
    if rules.test_rule(f"read_answers:{Perspective.STAFF}", request.user, cycle):
        sheets[Perspective.STAFF] = queries.answer_sheet(cycle, Perspective.STAFF)
    may_reopen = rules.test_rule("reopen_self_assessment", request.user, cycle)
    if not sheets and not may_reopen:
        return None
    return Panel("selfassessment/_cycle_section.html", {
        "sheets": sheets,
        "my_perspective": perspective_for(request.user, cycle),
        "may_reopen": may_reopen,
        "reopen_form": forms.get("reopen") or ReopenForm(),
    })


@login_required
@require_POST
def cycle_reopen(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("reopen_self_assessment", request.user, cycle)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return render_cycle_page(request, cycle, forms={"reopen": form}, status=400)
    try:
        reopen_self_assessment(cycle, request.user, form.cleaned_data["reason"])
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The self-assessment is open again, and the reason is recorded."))
    return redirect(cycle)


@login_required
def members_moved(request, pk, rest=""):
    """The old members' self-assessment: members now answer the questionnaire."""
    cycle = cycle_or_404(request.user, pk)
    if not is_member_of_cycle_service(request.user, cycle):
        raise Http404
    return redirect("reviews:questionnaire", cycle.pk)


@login_required
def hub(request, pk, perspective):
    cycle = cycle_or_404(request.user, pk)
    require(f"read_answers:{perspective}", request.user, cycle)
    context = {
        "cycle": cycle,
        "perspective": perspective,
        "sheet": queries.answer_sheet(cycle, perspective),
        "may_edit": rules.test_rule(f"edit_answers:{perspective}", request.user, cycle),
        "evidence_count": queries.evidence_visible_in(cycle, perspective).count(),
        "show_authors": rules.test_rule(f"see_answer_authors:{perspective}", request.user, cycle),
    }
    return render(request, "selfassessment/hub.html", context)


@login_required
def answers(request, pk, perspective):
    """A read-only view of every answer: for reviewers, admins, and once the self-assessment is locked."""
    cycle = cycle_or_404(request.user, pk)
    require(f"read_answers:{perspective}", request.user, cycle)
    sheet = queries.answer_sheet(cycle, perspective)
    context = {
        "cycle": cycle,
        "perspective": perspective,
        "sheet": sheet,
        "warnings_by_criterion": sheet.warnings_by_criterion() if cycle.self_assessment_is_open else {},
    }
    return render(request, "selfassessment/answers.html", context)


# --- evidence ---------------------------------------------------------------------------------


def _evidence_perspective(user, cycle):
    """Staff and reviewers see all the evidence; members see what members added."""
    return Perspective.STAFF if rules.test_rule("see_all_evidence", user, cycle) else Perspective.MEMBERS


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_evidence", request.user, cycle)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    forms = {"file": EvidenceFileForm(prefix="file"), "link": EvidenceLinkForm(prefix="link")}
    if request.method == "POST":
        require("add_evidence", request.user, cycle)
        kind = next((kind for kind in forms if f"add_{kind}" in request.POST), None)  # the button pressed
        added = _add_evidence(request, cycle, kind, forms) if kind else None
        if added is not None:
            messages.success(request, _("“%(title)s” is added. You can now link it to the criteria it supports.")
                             % {"title": added.title})
            return redirect(next_url or reverse("reviews:evidence", args=[cycle.pk]))
    context = {
        "cycle": cycle,
        "items": queries.evidence_with_criteria(cycle, _evidence_perspective(request.user, cycle)),
        "may_add": rules.test_rule("add_evidence", request.user, cycle),
        "show_authors": {p: rules.test_rule(f"see_answer_authors:{p}", request.user, cycle) for p in Perspective.values},
        "file_form": forms["file"],
        "link_form": forms["link"],
        "form": forms["file"] if forms["file"].errors else forms["link"],
        "next_url": next_url,
    }
    status = 400 if forms["file"].errors or forms["link"].errors else 200
    return render(request, "selfassessment/evidence.html", context, status=status)


def _add_evidence(request, cycle, kind, forms):
    """Adds the file or link the person sent, or leaves its bound form with the errors to show."""
    added_as = perspective_for(request.user, cycle) or Perspective.STAFF
    if kind == "file":
        form = forms["file"] = EvidenceFileForm(request.POST, request.FILES, prefix="file")
    else:
        form = forms["link"] = EvidenceLinkForm(request.POST, prefix="link")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if kind == "file":
            return add_file_evidence(
                cycle=cycle, added_by=request.user, added_as=added_as, upload=data["file"],
                detected_type=data["file"].detected_type, title=data["title"],
                description=data["description"], effective_date=data["effective_date"],
            )
        return add_link_evidence(cycle=cycle, added_by=request.user, added_as=added_as, **data)
    except ReviewError as error:
        form_error(form, error)
        return None


@login_required
def evidence_download(request, pk, evidence_pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_evidence", request.user, cycle)
    visible = queries.evidence_visible_in(cycle, _evidence_perspective(request.user, cycle))
    item = get_object_or_404(visible, pk=evidence_pk, kind="file")
    if item.file_removed_at is not None:  # the record stays; the file is gone for good
        return render(request, "selfassessment/evidence_removed.html", {"cycle": cycle, "item": item}, status=410)
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name or f"evidence-{item.pk}",
        content_type=item.content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
