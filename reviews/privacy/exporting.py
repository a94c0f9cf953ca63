"""Everything held about a person, for their access request: their account, and every row of
every table that points to them (found by introspection, so a table added later is included),
the audit log's entries they made or that are about their account, and their sign-in records.
Written as JSON, or as a zip holding that JSON and a note on reading it."""

import json
import zipfile
from pathlib import Path

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

ACCOUNT_FIELDS = ["id", "username", "first_name", "last_name", "email", "date_joined", "last_login", "is_active",
                  "erased_at"]
ABOUT = (
    "Everything this service holds about the person named in 'account'. 'records' lists, table by table, "
    "every row that refers to them, with the field that does ('as'). Members' answers to questionnaires "
    "are not linked to anyone by design: the service records only that a member took part "
    "('member's participation'), never which answers were theirs, so their answers cannot be found or "
    "exported. Evidence files are listed by their details; their contents are the service's records. "
    "Rate-limit records keep only a one-way hash of an address, so none can be listed. "
    "See docs/data-protection.md."
)
SKIPPED_FIELDS = {"password"}


def _value(obj, field):
    if field.many_to_one or field.one_to_one:
        related = getattr(obj, field.name)
        return None if related is None else str(related)
    if isinstance(field, models.FileField):
        return getattr(obj, field.attname).name or None
    return field.value_from_object(obj)


def _row(obj, user_field=None):
    row = {"id": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.primary_key:
            continue
        row[field.name] = "(this person)" if field.name == user_field else _value(obj, field)
    return row


def _links_to_user():
    """(model, field, is many-to-many) for every field of every model that points to a person."""
    user_model = get_user_model()
    for model in apps.get_models(include_auto_created=False):
        if model in (user_model, LogEntry):
            continue
        for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
            if field.is_relation and field.related_model is user_model:
                yield model, field


def _their_own(field):
    """A row that always names a person (a review team place, a role) is theirs: what hangs from
    it (the ratings of their place on a team) is theirs too."""
    return not field.many_to_many and not field.null


def _children_of(model):
    for child in apps.get_models():
        for field in child._meta.concrete_fields:
            if field.many_to_one and field.related_model is model and child is not LogEntry:
                yield child, field


def _group(model, field, rows, user_field=None):
    return {"table": model._meta.label, "description": str(model._meta.verbose_name_plural),
            "as": str(field.verbose_name), "rows": [_row(obj, user_field) for obj in rows]}


def _records(user):
    records = []
    for model, field in _links_to_user():
        rows = model._base_manager.filter(**{field.name: user}).order_by("pk")
        if not rows.exists():
            continue
        records.append(_group(model, field, rows, field.name))
        if _their_own(field):
            for child, to_parent in _children_of(model):
                children = child._base_manager.filter(**{f"{to_parent.name}__in": rows}).order_by("pk")
                if children.exists():
                    records.append(_group(child, to_parent, children))
    return records


def _audit_entry(entry):
    return {"id": entry.pk, "when": entry.timestamp, "action": entry.get_action_display(),
            "record": f"{entry.content_type.app_label}.{entry.content_type.model}", "object": entry.object_repr,
            "changes": entry.changes_dict, "by": str(entry.actor) if entry.actor_id else None}


def _audit_log(user):
    about = Q(content_type=ContentType.objects.get_for_model(user), object_pk=str(user.pk))
    entries = LogEntry.objects.filter(Q(actor=user) | about).select_related("content_type", "actor")
    return {
        "made_by_them": [_audit_entry(e) for e in entries.filter(actor=user).order_by("timestamp", "pk")],
        "about_their_account": [_audit_entry(e) for e in entries.filter(about).order_by("timestamp", "pk")],
    }


def _sign_in_records(user):
    names = Q(username__iexact=user.username) | (Q(username__iexact=user.email) if user.email else Q(pk__in=[]))
    return {str(model._meta.verbose_name_plural): [_row(obj) for obj in model.objects.filter(names).order_by("pk")]
            for model in (AccessAttempt, AccessFailureLog, AccessLog)}


def export_person(user):
    return {
        "exported_at": timezone.now(),
        "about": ABOUT,
        "account": {name: getattr(user, name) for name in ACCOUNT_FIELDS},
        "records": _records(user),
        "audit_log": _audit_log(user),
        "sign_in_records": _sign_in_records(user),
    }


def write_export(user, path):
    """Writes the export to `path`: .json, or .zip holding person.json and README.txt."""
    path = Path(path)
    text = json.dumps(export_person(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("person.json", text)
            archive.writestr("README.txt", ABOUT + "\n")
    else:
        path.write_text(text, encoding="utf-8")
    return path
