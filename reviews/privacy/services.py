"""Erasing a person: their name and contact details are replaced by a neutral label ("Erased
person 42") in every table, the audit log's readable text and the final reports that named them,
in one transaction. What they did stays as the service's record (ratings, comments, decisions),
now under the label; what was only about them (roles, reviewer record, time unavailable,
sessions, sign-in records) is deleted."""

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

from auditlog.context import set_actor
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assurance import throttle
from assurance.models import ReviewerRecord, Role, Unavailability
from reviews.privacy import audit_entries, columns, reports
from reviews.privacy.traces import traces_of


class PrivacyError(Exception):
    """A request that cannot be carried out, in words for the person who asked."""


def find_person(identifier):
    """The person with this username or email (either, ignoring case)."""
    identifier = (identifier or "").strip()
    people = list(get_user_model().objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier)))
    if not identifier or not people:
        raise PrivacyError(f"No person has the username or email {identifier!r}.")
    if len(people) > 1:
        names = ", ".join(sorted(person.username for person in people))
        raise PrivacyError(f"Several people have {identifier!r} as username or email ({names}): give the username.")
    return people[0]


@dataclass
class ErasurePlan:
    """What erasing the person changes, counted before anything is changed."""

    person: object
    label: str
    columns: Counter = field(default_factory=Counter)  # "table.column" → rows whose text names them
    deleted: dict = field(default_factory=dict)  # what is deleted → how many
    finals_rebuilt: list = field(default_factory=list)
    copies_deleted: list = field(default_factory=list)
    word_username: str = ""
    namesakes: list = field(default_factory=list)  # usernames of others with the same full name


def _only_about_them(user):
    """What is only about the person, and goes with their personal data."""
    sign_in = Q(username__iexact=user.username) | (Q(username__iexact=user.email) if user.email else Q(pk__in=[]))
    return {
        "roles": Role.objects.filter(user=user),
        "reviewer record": ReviewerRecord.objects.filter(user=user),
        "times unavailable": Unavailability.objects.filter(user=user),
        "sign-in attempts": AccessAttempt.objects.filter(sign_in),
        "sign-in failures": AccessFailureLog.objects.filter(sign_in),
        "sign-in records": AccessLog.objects.filter(sign_in),
    }


def _sessions_of(user):
    """The person's sessions: a session keeps only an id, so each live session is read."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return Session.objects.filter(session_key__in=keys)


def plan_erasure(user):
    _refuse_if_erased(user)
    traces = traces_of(user)
    hits = columns.find(traces)
    cycles = reports.cycles_touched(user, hits)
    finals = reports.finals_to_rebuild(hits)
    deleted = {name: rows.count() for name, rows in _only_about_them(user).items()}
    deleted["sessions"] = _sessions_of(user).count()
    return ErasurePlan(
        person=user, label=traces.label, columns=Counter(hit.column.name for hit in hits), deleted=deleted,
        finals_rebuilt=finals, copies_deleted=reports.copies_to_delete(user, cycles, finals),
        word_username=traces.word_username, namesakes=_namesakes(user),
    )


def _namesakes(user):
    """Others with the same full name: text naming them cannot be told apart from text naming this person."""
    if not (user.first_name.strip() and user.last_name.strip()):
        return []
    same = get_user_model().objects.filter(first_name__iexact=user.first_name.strip(),
                                           last_name__iexact=user.last_name.strip()).exclude(pk=user.pk)
    return sorted(same.values_list("username", flat=True))


def _refuse_if_erased(user):
    if user.erased_at is not None:
        raise PrivacyError(f"{user} was already erased on {timezone.localtime(user.erased_at):%Y-%m-%d %H:%M}.")


@transaction.atomic
def erase_person(user, *, actor=None):
    """Erases the person's personal data (see the module's note). Returns the plan it carried out."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    plan = plan_erasure(user)
    traces, email = traces_of(user), user.email
    with set_actor(actor) if actor is not None else nullcontext():
        hits = columns.rewrite(traces)
        _forget_contact_details(user)
        records = audit_entries.own_records(user)
        for rows in _only_about_them(user).values():
            rows.delete()
        audit_entries.rewrite_entries_about(user, records)
        _sessions_of(user).delete()
        _forget_throttle_hits(email)
        finals = reports.finals_to_rebuild(hits)
        for copy in reports.copies_to_delete(user, reports.cycles_touched(user, hits), finals):
            reports.delete_copy(copy)
        for final in finals:
            reports.rebuild_final(final)
        _mark_erased(user)
    # Cached pages and figures may show the old name; they are built again on demand.
    transaction.on_commit(cache.clear)
    return plan


def _forget_contact_details(user):
    """The new name, username and no email, written without the audit log seeing the old ones."""
    get_user_model().objects.filter(pk=user.pk).update(
        **audit_entries.new_account_values(user), password=make_password(None), is_staff=False, is_superuser=False,
    )
    user.groups.clear()
    user.user_permissions.clear()


def _forget_throttle_hits(email):
    """Password resets asked for their address (counted by a hash of it)."""
    if email.strip():
        throttle.password_resets_per_account().clear(email.strip().lower())


def _mark_erased(user):
    """The one change the audit log records about the person: inactive, erased on this day."""
    user.refresh_from_db()
    user.is_active = False
    user.erased_at = timezone.now()
    user.save(update_fields=["is_active", "erased_at"])
