"""Answering the questionnaire at a session, with its code: no account and no sign-in.

Every address with a code looks the code up through `find_open_session`, which counts a wrong
code against the client's address: past the limit, no code is looked up at all (not even a
right one) until the pause ends."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.throttle import client_address
from reviews.errors import ReviewError
from reviews.members.forms import CodeForm
from reviews.members.services import ANSWERED_SESSIONS, answer_at_session, code_guesses, find_open_session
from reviews.members.views import journey as steps

TOO_MANY = 429


def _code_page(request, form, status=200):
    return render(request, "members/questionnaire_code.html", {"form": form}, status=status)


def _lookup(request, code):
    """(the open session with this code, None), or (None, the code box again with what went
    wrong next to it: 429 while this address must wait, 400 otherwise)."""
    client = client_address(request)
    paused = code_guesses().reached(client)
    try:
        return find_open_session(code, client), None
    except ReviewError as error:
        form = CodeForm({"code": code})
        form.is_valid()
        form.add_error("code", error.message)
        return None, _code_page(request, form, status=TOO_MANY if paused else 400)


@require_http_methods(["GET", "POST"])
def start(request):
    """The code box: a right code leads to its questionnaire."""
    if request.method != "POST":
        return _code_page(request, CodeForm())
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, form, status=400)
    session, refused = _lookup(request, form.cleaned_data["code"])
    if refused:
        return refused
    return redirect("questionnaire:answer", code=session.code)


def _journey(request, code):
    """(journey, None) for an open session's code; (None, a page to show instead) otherwise."""
    session, refused = _lookup(request, code)
    if refused:
        return None, refused
    journey = steps.Journey(
        request=request,
        cycle=session.cycle,
        scope=f"session-{session.pk}",
        start_url=reverse("questionnaire:answer", args=[session.code]),
        check_url=reverse("questionnaire:check", args=[session.code]),
        thanks_url=reverse("questionnaire:thanks"),
        page_url=lambda number: reverse("questionnaire:page", args=[session.code, number]),
        send=lambda answers, anything_else: answer_at_session(session, request.session, answers, anything_else),
        context={"session": session},
    )
    if session.pk in request.session.get(ANSWERED_SESSIONS, []):
        return journey, steps.already_answered(journey)
    return journey, None


@require_http_methods(["GET"])
def answer(request, code):
    journey, instead = _journey(request, code)
    return instead or steps.start_page(journey)


@require_http_methods(["GET", "POST"])
def page(request, code, number):
    journey, instead = _journey(request, code)
    return instead or steps.question_page(journey, number)


@require_http_methods(["GET", "POST"])
def check(request, code):
    journey, instead = _journey(request, code)
    return instead or steps.check_page(journey)


def thanks(request):
    return render(request, "members/questionnaire_thanks.html", {"public": True, "title": _("Thank you")})
