"""Staff's part in members answering without a screen: the printable questionnaire, typing in a
returned paper copy, and recording a members' meeting's shared answers. These pages take
responses in; they never show one."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.errors import ReviewError
from reviews.members.forms import MeetingResponseForm, PaperResponseForm
from reviews.members.printable import printable_questionnaire
from reviews.members.queries import member_questions
from reviews.members.services import enter_paper_response, record_group_response
from reviews.pages import form_error


def _staff_cycle(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("handle_paper_questionnaires", request.user, cycle)
    return cycle


def _closed(request, cycle):
    """After the visit the questionnaire takes no more responses: say so, rather than "not found"."""
    if rules.test_rule("enter_member_responses", request.user, cycle):
        return None
    return render(request, "members/questionnaire_message.html", {
        "heading": _("The questionnaire has closed"),
        "text": _("The reviewers' visit is over, so no more responses can be entered for this review."),
    })


@login_required
def printable(request, pk):
    cycle = _staff_cycle(request, pk)
    response = HttpResponse(printable_questionnaire(cycle), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="questionnaire-{cycle.service.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _take_in(request, cycle, form, store, saved_message, next_url):
    """Stores what the form holds through `store(form)`; a refusal goes next to its field."""
    if not form.is_valid():
        return None
    try:
        store(form)
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, saved_message)
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def paper(request, pk):
    """Typing in returned paper copies, one after another: after each, the page is ready for the next."""
    cycle = _staff_cycle(request, pk)
    if closed := _closed(request, cycle):
        return closed
    questions = member_questions(cycle.edition)
    received = request.GET.get("received_on")
    form = PaperResponseForm(request.POST or None, questions=questions, initial={"received_on": received} if received else None)
    if request.method == "POST":
        done = _take_in(
            request, cycle, form,
            lambda f: enter_paper_response(cycle, f.answers(), f.free_text(), f.cleaned_data["received_on"]),
            _("Saved. Enter the next one."),
            f"{request.path}?received_on={form.cleaned_data['received_on'].isoformat()}" if form.is_valid() else request.path,
        )
        if done:
            return done
    return render(request, "members/paper_entry.html", {"cycle": cycle, "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request, pk):
    """A members' meeting's shared answers, with the number of members there."""
    cycle = _staff_cycle(request, pk)
    if closed := _closed(request, cycle):
        return closed
    form = MeetingResponseForm(request.POST or None, questions=member_questions(cycle.edition))
    if request.method == "POST":
        done = _take_in(
            request, cycle, form,
            lambda f: record_group_response(cycle, f.answers(), f.free_text(), f.cleaned_data["group_size"]),
            _("Saved: the meeting's shared answers are recorded."),
            request.path,
        )
        if done:
            return done
    return render(request, "members/meeting_entry.html", {"cycle": cycle, "form": form}, status=400 if form.errors else 200)
