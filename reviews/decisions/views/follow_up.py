"""The follow-up review's page: the service answers each criterion not met with what has changed
and evidence, then sends it; the lead reviewer rates each again and recommends an outcome, which
administrators ratify on the decision page."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.decisions.forms.follow_up import FollowUpAnswerForm, FollowUpRatingForm, FollowUpRecommendationForm
from reviews.decisions.queries.follow_up import follow_up_history, follow_ups_of
from reviews.decisions.services.follow_up import (
    add_follow_up_evidence,
    rate_follow_up,
    recommend_after_follow_up,
    save_follow_up_answer,
    submit_follow_up,
)
from reviews.disclosure import disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error, posted_action, posted_pk
from reviews.selfassessment.forms import EvidenceFileForm, EvidenceLinkForm
from reviews.selfassessment.models import Perspective
from reviews.selfassessment.queries import evidence_visible_in


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_follow_up", request.user, cycle)
    views = follow_ups_of(cycle)
    if not views:
        return render(request, "decisions/follow_up_none.html", {"cycle": cycle})
    current, forms = views[0], {}
    if request.method == "POST":
        handler = posted_action(request, ACTIONS)
        if handler(request, cycle, current, forms):
            return redirect(reverse("reviews:follow-up", args=[cycle.pk]))
    return _render(request, cycle, views, forms)


def _row(current, request, button):
    row = next((r for r in current.rows if r.criterion.pk == posted_pk(request.POST.get(button))), None)
    if row is None:
        raise Http404
    return row


def _with_version(request, prefix, version):
    """What the person typed, based now on the version someone else saved: sent again, it is
    saved over that version knowingly, never silently."""
    data = request.POST.copy()
    data[f"{prefix}-base_version"] = str(version)
    return data


def _save_answer(request, cycle, current, forms):
    require("answer_follow_up", request.user, cycle)
    row = _row(current, request, "save_answer")
    prefix = f"answer-{row.criterion.pk}"
    form = FollowUpAnswerForm(request.POST, prefix=prefix, evidence=evidence_visible_in(cycle, Perspective.STAFF))
    forms[prefix] = form
    if not form.is_valid():
        return False
    try:
        save_follow_up_answer(current.follow_up, row.criterion, narrative=form.cleaned_data["narrative"],
                              evidence_ids=form.evidence_ids, base_version=form.cleaned_data["base_version"],
                              saved_by=request.user)
    except ReviewError as error:
        if row.answer is not None and row.answer.version != form.cleaned_data["base_version"]:
            form = forms[prefix] = FollowUpAnswerForm(
                _with_version(request, prefix, row.answer.version), prefix=prefix,
                evidence=evidence_visible_in(cycle, Perspective.STAFF))
            form.is_valid()
        form_error(form, error)
        return False
    messages.success(request, _("Your answer for %(code)s is saved.") % {"code": row.criterion.code})
    return True


def _add_evidence(request, cycle, current, forms):
    require("answer_follow_up", request.user, cycle)
    kind = "file" if "add_file" in request.POST else "link"
    if kind == "file":
        form = forms["file"] = EvidenceFileForm(request.POST, request.FILES, prefix="file")
    else:
        form = forms["link"] = EvidenceLinkForm(request.POST, prefix="link")
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    if kind == "file":
        upload = data.pop("file")
        data.update(upload=upload, detected_type=upload.detected_type)
    try:
        added = add_follow_up_evidence(current.follow_up, kind=kind, added_by=request.user,
                                       added_as=Perspective.STAFF, **data)
    except ReviewError as error:
        form_error(form, error)
        return False
    messages.success(request, _("“%(title)s” is added. Tick it beside the criteria it shows.") % {"title": added.title})
    return True


def _submit(request, cycle, current, forms):
    require("answer_follow_up", request.user, cycle)
    return attempt(request, lambda: submit_follow_up(current.follow_up, submitted_by=request.user),
                   _("The follow-up is sent. The lead reviewer will now rate each criterion again."))


def _rate(request, cycle, current, forms):
    require("rate_follow_up", request.user, cycle)
    row = _row(current, request, "rate")
    prefix = f"rate-{row.criterion.pk}"
    form = forms[prefix] = FollowUpRatingForm(request.POST, prefix=prefix, levels=cycle.edition.rating_levels)
    if not form.is_valid():
        return False
    try:
        rate_follow_up(current.follow_up, row.criterion, level=form.chosen_level, not_applicable=form.not_applicable,
                       rationale=form.cleaned_data["rationale"], base_version=form.cleaned_data["base_version"],
                       rated_by=request.user)
    except ReviewError as error:
        if row.rating is not None and row.rating.version != form.cleaned_data["base_version"]:
            form = forms[prefix] = FollowUpRatingForm(_with_version(request, prefix, row.rating.version),
                                                      prefix=prefix, levels=cycle.edition.rating_levels)
            form.is_valid()
        form_error(form, error)
        return False
    messages.success(request, _("The new rating of %(code)s is saved.") % {"code": row.criterion.code})
    return True


def _recommend(request, cycle, current, forms):
    require("rate_follow_up", request.user, cycle)
    form = forms["recommend"] = FollowUpRecommendationForm(request.POST, prefix="recommend")
    if not form.is_valid():
        return False
    try:
        recommend_after_follow_up(current.follow_up, recommended_by=request.user, **form.cleaned_data)
    except ReviewError as error:
        form_error(form, error)
        return False
    messages.success(request, _("Your recommendation is sent to the network's administrators to ratify."))
    return True


ACTIONS = {
    "save_answer": _save_answer,
    "add_file": _add_evidence,
    "add_link": _add_evidence,
    "submit": _submit,
    "rate": _rate,
    "recommend": _recommend,
}


def _render(request, cycle, views, forms):
    user, current = request.user, views[0]
    may_answer = current.follow_up.is_open and rules.test_rule("answer_follow_up", user, cycle)
    may_rate = current.follow_up.is_open and rules.test_rule("rate_follow_up", user, cycle)
    evidence = list(evidence_visible_in(cycle, Perspective.STAFF)) if may_answer else []
    rows = [(row, _answer_form(row, forms, evidence) if may_answer else None,
             _rating_form(row, forms, cycle) if may_rate and current.pending_recommendation is None else None)
            for row in current.rows]
    disclosed = disclosure(user, cycle)
    context = {
        "cycle": cycle,
        "current": current,
        "earlier": views[1:],
        "rows": rows,
        "disclosed": disclosed,
        "overdue": current.follow_up.status == "open" and current.follow_up.due_on < timezone.localdate(),
        "may_answer": may_answer,
        "may_rate": may_rate,
        "file_form": forms.get("file") or EvidenceFileForm(prefix="file"),
        "link_form": forms.get("link") or EvidenceLinkForm(prefix="link"),
        "recommend_form": forms.get("recommend") or FollowUpRecommendationForm(prefix="recommend"),
        "history": follow_up_history(cycle) if disclosed.decision else [],
        "form": next((form for form in forms.values() if form.errors), None),
    }
    return render(request, "decisions/follow_up.html", context, status=400 if context["form"] else 200)


def _answer_form(row, forms, evidence):
    prefix = f"answer-{row.criterion.pk}"
    if prefix in forms:
        return forms[prefix]
    answer = row.answer
    initial = {"narrative": answer.narrative, "evidence": [str(e.pk) for e in answer.evidence.all()],
               "base_version": answer.version} if answer else {"base_version": 0}
    return FollowUpAnswerForm(prefix=prefix, evidence=evidence, initial=initial)


def _rating_form(row, forms, cycle):
    prefix = f"rate-{row.criterion.pk}"
    if prefix in forms:
        return forms[prefix]
    rating = row.rating
    initial = {"base_version": 0}
    if rating:
        initial = {"level": "na" if rating.not_applicable else str(rating.level_id),
                   "rationale": rating.rationale, "base_version": rating.version}
    return FollowUpRatingForm(prefix=prefix, levels=cycle.edition.rating_levels, initial=initial)
