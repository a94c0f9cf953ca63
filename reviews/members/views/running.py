"""Running the questionnaire, from the members' voice page: opening and closing questionnaire
sessions, and the service's stated number of members. Each handler takes (request, cycle, forms)
and returns a response, or None to show the page again with the forms that need correcting."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.errors import ReviewError
from reviews.members import queries
from reviews.members.running_forms import SessionForm, StatedForm
from reviews.members.services import close_questionnaire_session, open_questionnaire_session, set_members_stated
from reviews.pages import attempt, form_error, posted_pk

SESSION_LENGTH = datetime.timedelta(hours=2)


def new_session_form():
    """Opens now, closes in two hours (to the minute, in the local time people type)."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return SessionForm(prefix="session", initial={"opens_at": now, "closes_at": now + SESSION_LENGTH})


def stated_form(cycle):
    return StatedForm(prefix="stated", initial={"members_stated": cycle.members_stated})


def here(cycle, anchor=""):
    return redirect(reverse("reviews:members", args=[cycle.pk]) + anchor)


def _open_session(request, cycle, forms):
    form = forms["session"] = SessionForm(request.POST, prefix="session")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        session = open_questionnaire_session(cycle, data["name"], data["opens_at"], data["closes_at"], request.user)
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("“%(name)s” is ready. Its code is %(code)s.") % {"name": session.name, "code": session.code})
    return here(cycle, f"#session-{session.pk}")


def _close_session(request, cycle, forms):
    session = queries.questionnaire_session(cycle, posted_pk(request.POST.get("close_session")))
    if session is not None:
        attempt(request, lambda: close_questionnaire_session(session),
                _("“%(name)s” is closed: its code no longer works.") % {"name": session.name})
    return here(cycle, "#sessions-heading")


def _set_stated(request, cycle, forms):
    form = forms["stated"] = StatedForm(request.POST, prefix="stated")
    if not form.is_valid():
        return None
    try:
        set_members_stated(cycle, form.cleaned_data["members_stated"])
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("The number of members is saved."))
    return here(cycle)


# The POST actions of running the questionnaire, by the name of their button: (rule, handler).
RUNNING_ACTIONS = {
    "open_session": ("run_questionnaire", _open_session),
    "close_session": ("run_questionnaire", _close_session),
    "set_stated": ("run_questionnaire", _set_stated),
}
