"""Taking the members' answers in, whichever way they come: a member's own account, a
questionnaire session on a shared device, a paper copy entered by staff, or a members' meeting
answering as a group. Each is one transaction; none records who gave a response."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.throttle import Limit
from reviews.cycles.models import Cycle, CycleState
from reviews.errors import ReviewError
from reviews.members.models import (
    Channel,
    MemberAnswer,
    MemberParticipation,
    MemberQuote,
    MemberResponse,
    MemberResponseAnswer,
    QuestionnaireSession,
)
from reviews.members.queries import member_questions

# Letters and digits that cannot be mistaken for each other when read off a screen or a poster.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
ANSWERED_SESSIONS = "questionnaire_sessions_answered"  # key in a device's session
LONGEST_SESSION = timedelta(days=31)


def code_guesses():
    """Wrong questionnaire codes tried from one address: past the limit, codes are not even looked up."""
    return Limit("questionnaire-code", settings.QUESTIONNAIRE_CODE_GUESSES, settings.QUESTIONNAIRE_CODE_PAUSE_MINUTES)


def _clean_answers(cycle, answers, anything_else):
    """{criterion id: answer} for the cycle's members' questions only, and the free text; refuses a
    response that says nothing at all."""
    asked = {criterion.pk for criterion in member_questions(cycle.edition)}
    cleaned = {}
    for criterion_id, answer in answers.items():
        if int(criterion_id) not in asked:
            raise ReviewError(_("One of the answers is to a question this questionnaire does not ask."))
        if answer in ("", None):
            continue
        if answer not in MemberAnswer.values:
            raise ReviewError(_("One of the answers is not Yes, Sometimes, No or Don't know."))
        cleaned[int(criterion_id)] = answer
    anything_else = (anything_else or "").strip()
    if not cleaned and not anything_else:
        raise ReviewError(_("Answer at least one question, or write something in the last box."))
    return cleaned, anything_else


def _store(cycle, channel, answers, anything_else, *, session=None, group_size=None, received_on=None):
    cleaned, anything_else = _clean_answers(cycle, answers, anything_else)
    response = MemberResponse.objects.create(
        cycle=cycle, channel=channel, session=session, group_size=group_size, anything_else=anything_else,
        received_on=received_on or timezone.localdate(),
    )
    MemberResponseAnswer.objects.bulk_create(
        MemberResponseAnswer(response=response, criterion_id=criterion_id, answer=answer)
        for criterion_id, answer in cleaned.items()
    )
    return response


def _questionnaire_open(cycle):
    if cycle.state not in CycleState.QUESTIONNAIRE_OPEN:
        raise ReviewError(_("The questionnaire has closed: the reviewers' visit is over."))


@transaction.atomic
def answer_as_member(cycle, user, answers, anything_else=""):
    """A signed-in member's response. Their having answered is recorded apart from what they said."""
    cycle = Cycle.objects.select_related("edition").get(pk=cycle.pk)
    _questionnaire_open(cycle)
    try:
        with transaction.atomic():
            MemberParticipation.objects.create(cycle=cycle, user=user)
    except IntegrityError:
        raise ReviewError(_("You have already answered this questionnaire. Thank you.")) from None
    return _store(cycle, Channel.ACCOUNT, answers, anything_else)


def has_answered(cycle, user):
    return MemberParticipation.objects.filter(cycle=cycle, user=user).exists()


def find_open_session(code, client, now=None):
    """The open questionnaire session with this code, counting a wrong guess against the client
    (its address). Raises ReviewError when the code is wrong, closed, or guessing is paused."""
    guesses = code_guesses()
    if guesses.reached(client):
        raise ReviewError(_("Too many wrong codes were tried from here. Wait a few minutes, then try again."), field="code")
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    session = QuestionnaireSession.objects.select_related("cycle__edition", "cycle__service").filter(code=normalised).first()
    if session is None:
        guesses.record(client)
        raise ReviewError(_("There is no questionnaire with that code. Check the code and try again."), field="code")
    if not session.is_open_at(now or timezone.now()) or session.cycle.state not in CycleState.QUESTIONNAIRE_OPEN:
        raise ReviewError(_("This questionnaire is not open now. Ask the person who gave you the code."), field="code")
    return session


@transaction.atomic
def answer_at_session(session, device, answers, anything_else=""):
    """A response on a device at a questionnaire session: one per device session (`device` is
    the browser's session, where the answered sessions are noted)."""
    session = QuestionnaireSession.objects.select_related("cycle__edition").get(pk=session.pk)
    if not session.is_open_at(timezone.now()):
        raise ReviewError(_("This questionnaire session has closed. Thank you for coming."))
    _questionnaire_open(session.cycle)
    answered = list(device.get(ANSWERED_SESSIONS, []))
    if session.pk in answered:
        raise ReviewError(_("This questionnaire has already been answered on this device. Thank you."))
    response = _store(session.cycle, Channel.SESSION, answers, anything_else, session=session)
    device[ANSWERED_SESSIONS] = answered + [session.pk]
    return response


@transaction.atomic
def enter_paper_response(cycle, answers, anything_else, received_on):
    """A returned paper questionnaire, typed in by staff. Marked as entered from paper."""
    cycle = Cycle.objects.select_related("edition").get(pk=cycle.pk)
    _questionnaire_open(cycle)
    if received_on is None or received_on > timezone.localdate():
        raise ReviewError(_("Give the date the paper copy came back (not a date in the future)."), field="received_on")
    return _store(cycle, Channel.PAPER, answers, anything_else, received_on=received_on)


@transaction.atomic
def record_group_response(cycle, answers, anything_else, group_size):
    """The shared answers of a members' meeting: shown as the meeting's, never counted as single members'."""
    cycle = Cycle.objects.select_related("edition").get(pk=cycle.pk)
    _questionnaire_open(cycle)
    if not group_size or group_size < 2:
        raise ReviewError(_("Say how many members were at the meeting (two or more)."), field="group_size")
    return _store(cycle, Channel.GROUP, answers, anything_else, group_size=group_size)


def _new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def open_questionnaire_session(cycle, name, opens_at, closes_at, opened_by):
    """A new questionnaire session with its own code, for a meeting or a shared device."""
    cycle = Cycle.objects.get(pk=cycle.pk)
    _questionnaire_open(cycle)
    name = (name or "").strip()
    if not name:
        raise ReviewError(_("Say what the session is for, e.g. \"Community meeting, Tuesday\"."), field="name")
    if closes_at <= opens_at:
        raise ReviewError(_("The session must close after it opens."), field="closes_at")
    if closes_at - opens_at > LONGEST_SESSION:
        raise ReviewError(_("A session can stay open for 31 days at most."), field="closes_at")
    if closes_at <= timezone.now():
        raise ReviewError(_("The closing time has already passed."), field="closes_at")
    for _attempt in range(5):
        code = _new_code()
        if not QuestionnaireSession.objects.filter(code=code).exists():
            return QuestionnaireSession.objects.create(
                cycle=cycle, code=code, name=name, opens_at=opens_at, closes_at=closes_at, opened_by=opened_by
            )
    raise ReviewError(_("No free code could be found. Try again."))  # 31⁸ codes: not in practice


@transaction.atomic
def close_questionnaire_session(session):
    session = QuestionnaireSession.objects.select_for_update().get(pk=session.pk)
    if session.closed_at is None and session.closes_at > timezone.now():
        session.closed_at = timezone.now()
        session.save(update_fields=["closed_at"])
    return session


@transaction.atomic
def set_members_stated(cycle, number):
    """The service's stated number of members, against which the response rate is counted."""
    if number is not None and (number < 1 or number > 100_000):
        raise ReviewError(_("Give the number of members as a whole number from 1 to 100000."), field="members_stated")
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    cycle.members_stated = number
    cycle.save(update_fields=["members_stated"])  # through save: the audit log records the change
    return cycle


# --- quoting members in the report -------------------------------------------------------------

LONGEST_QUOTE = 1000


def _findings_open(cycle):
    if cycle.state not in CycleState.FINDINGS_OPEN:
        raise ReviewError(_("Quotes are proposed and agreed from the visit until the report is final."))


@transaction.atomic
def propose_member_quote(cycle, text, proposed_by):
    """Members' words the lead reviewer would quote in the report, edited so that nobody can be
    recognised. They reach the report only once the service's lead agrees."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _findings_open(cycle)
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Write the words you would quote."), field="text")
    if len(text) > LONGEST_QUOTE:
        raise ReviewError(_("Keep a quote to %(n)s characters at most.") % {"n": LONGEST_QUOTE}, field="text")
    return MemberQuote.objects.create(cycle=cycle, text=text, proposed_by=proposed_by)


def _decided_quote(quote):
    quote = MemberQuote.objects.select_for_update().select_related("cycle").get(pk=quote.pk)
    _findings_open(quote.cycle)
    return quote


@transaction.atomic
def agree_member_quote(quote, agreed_by):
    """The service's lead agrees to the quote being in the report (a declined one may be agreed after all)."""
    quote = _decided_quote(quote)
    if quote.agreed_at is None:
        quote.agreed_by, quote.agreed_at, quote.declined_at = agreed_by, timezone.now(), None
        quote.save(update_fields=["agreed_by", "agreed_at", "declined_at"])
    return quote


@transaction.atomic
def decline_member_quote(quote):
    """The service's lead does not want the quote in the report (an agreed one may be withdrawn)."""
    quote = _decided_quote(quote)
    if quote.declined_at is None:
        quote.agreed_by, quote.agreed_at, quote.declined_at = None, None, timezone.now()
        quote.save(update_fields=["agreed_by", "agreed_at", "declined_at"])
    return quote
