"""The audit log's entries about the person themselves. Elsewhere their name is found as a whole
(full name, email, username); here each value of their name fields is replaced, since a first or
last name alone ("Zebedee") is theirs in an entry about their account. Entries about their
reviewer record and time unavailable keep what changed and when, not the text (notes, vetting)."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from assurance.models import ReviewerRecord, Unavailability

ERASED_TEXT = "(erased)"


def new_account_values(user):
    return {"username": f"erased-person-{user.pk}", "first_name": "Erased", "last_name": f"person {user.pk}",
            "email": ""}


def _entries_about(instances_by_model):
    for model, ids in instances_by_model.items():
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            yield from LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in ids])


def _rewrite(entry, replacements):
    """replacements: field name → the value its every before/after value becomes."""
    changes = entry.changes if isinstance(entry.changes, dict) else None
    if changes:
        for name, value in replacements.items():
            if name in changes and isinstance(changes[name], list):
                changes[name] = [value if old not in (None, "") else old for old in changes[name]]
    serialized = entry.serialized_data
    if isinstance(serialized, dict) and isinstance(serialized.get("fields"), dict):
        for name, value in replacements.items():
            if name in serialized["fields"]:
                serialized["fields"][name] = value
    LogEntry.objects.filter(pk=entry.pk).update(changes=changes if changes is not None else entry.changes,
                                                 serialized_data=serialized)


def own_records(user):
    """The ids of the person's reviewer record and times unavailable: read before they are deleted."""
    return {
        ReviewerRecord: list(ReviewerRecord.objects.filter(user=user).values_list("pk", flat=True)),
        Unavailability: list(Unavailability.objects.filter(user=user).values_list("pk", flat=True)),
    }


def rewrite_entries_about(user, records):
    """Run after their own records are deleted, so that the entries of the deletions are rewritten too."""
    for entry in _entries_about({type(user): [user.pk]}):
        _rewrite(entry, new_account_values(user))
    text_fields = {"notes": ERASED_TEXT, "note": ERASED_TEXT, "vetting": ERASED_TEXT}
    for entry in _entries_about(records):
        _rewrite(entry, text_fields)
