"""Sending one notice to one person, once.

Every notice goes through `send_notice`: it asks the disclosure policy whether the person may
see what the notice is about, skips a notice the person has turned off, renders the plain-text
and HTML templates, sends the email and records it, so that the same occasion is never notified
twice. Callers run in the task worker (reviews.notices.tasks) or in `send_reminders`.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from reviews.disclosure import sees
from reviews.notices.kinds import BY_CODE
from reviews.notices.models import NoticeOptOut, SentNotice

logger = logging.getLogger(__name__)


@dataclass
class Notice:
    """One occasion to tell one person about. `template` names a pair of templates under
    templates/notices/: <template>.txt and <template>.html, rendered with `context` (plus
    `person`, `site_url` and `subject`). `facts` are the disclosure facts the notice shows about
    `cycle`: the person must see every one of them. `attachments` are (filename, content, type)."""

    kind: str
    key: str
    subject: str
    template: str
    context: dict = field(default_factory=dict)
    cycle: object = None
    facts: tuple = ()
    attachments: tuple = ()


def sees_every_fact(person, notice):
    if notice.cycle is None:
        return True
    return all(sees(person, notice.cycle, fact) for fact in notice.facts)


def may_receive(person, notice, opted_out=None):
    """Whether the person may have this notice: an active address, every fact of it disclosed to
    them now, and (unless it is essential) not turned off. `opted_out`, when given, is the set of
    (user id, kind) turned off, read beforehand for many people at once."""
    if not person.is_active or not person.email:
        return False
    if not sees_every_fact(person, notice):
        return False
    if BY_CODE[notice.kind].essential:
        return True
    if opted_out is not None:
        return (person.pk, notice.kind) not in opted_out
    return not NoticeOptOut.objects.filter(user=person, kind=notice.kind).exists()


def already_sent(person, notice):
    return SentNotice.objects.filter(user=person, kind=notice.kind, key=notice.key).exists()


def send_notice(person, notice, opted_out=None):
    """Sends the notice to the person unless they may not have it or already had it. Returns
    True when an email went out. The record is written first, in a transaction that the email's
    failure rolls back, so a notice that could not be sent is tried again on the next run."""
    if not may_receive(person, notice, opted_out) or already_sent(person, notice):
        return False
    try:
        with transaction.atomic():
            SentNotice.objects.create(
                user=person, kind=notice.kind, key=notice.key, cycle=notice.cycle, subject=str(notice.subject)[:300]
            )
            _email(person, notice).send()
    except IntegrityError:
        return False  # sent meanwhile by another run
    return True


def send_each(deliveries, opted_out=None):
    """Sends each (person, notice), going on past a failed one (it is tried again next run).
    Returns (sent, failed) counts."""
    sent = failed = 0
    for person, notice in deliveries:
        try:
            sent += send_notice(person, notice, opted_out)
        except Exception:
            failed += 1
            logger.exception("Notice %s to user %s not sent; it is tried again on the next run.", notice.key, person.pk)
    return sent, failed


def _email(person, notice):
    context = {**notice.context, "person": person, "site_url": settings.SITE_URL, "subject": notice.subject}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notices/{notice.template}.txt", context)
        html = render_to_string(f"notices/{notice.template}.html", context)
    message = EmailMultiAlternatives(str(notice.subject), text, None, [person.email])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in notice.attachments:
        message.attach(filename, content, mimetype)
    return message
