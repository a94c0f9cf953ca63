"""The audit log: every change to network, standards and review records, with who, when, before
and after.

django-auditlog records changes through model signals, with the signed-in person taken from the
request by its middleware. Each app says which of its models it watches, through `audit`.
"""

import re

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

# The network core's own models, with the fields left out of the log. Passwords and sign-in
# times are not changes a person makes to the network; they would only add noise (and secrets).
CORE_MODELS = [
    ("User", ["password", "last_login"]),
    ("Region", []),
    ("Sector", []),
    ("Organisation", []),
    ("Service", []),
    ("Role", []),
    ("ReviewerRecord", []),
    ("Unavailability", []),
]


def audit(model, *, exclude=(), m2m=()):
    """Watches a model: each app calls this for its own models when it is ready. `exclude` names
    fields whose changes are noise; `m2m` names many-to-many fields whose changes are logged too."""
    if not auditlog.contains(model):
        auditlog.register(model, exclude_fields=list(exclude), m2m_fields=list(m2m))


def audited_models():
    return list(auditlog.get_models())


# Apps may keep some entries' values from the log's readers for a while (a reviewer's draft ratings
# are their own until submitted): model → function(object ids) → the ids whose values are hidden.
_HIDDEN_VALUES = {}


def hide_values(model, hidden_ids):
    _HIDDEN_VALUES[model] = hidden_ids


def _hidden_entries(entries):
    ids_by_model = {}
    for entry in entries:
        model = entry.content_type.model_class()
        if model in _HIDDEN_VALUES:
            ids_by_model.setdefault(model, set()).add(entry.object_pk)
    hidden = {model: {str(pk) for pk in _HIDDEN_VALUES[model](ids)} for model, ids in ids_by_model.items()}
    return {entry.pk for entry in entries if entry.object_pk in hidden.get(entry.content_type.model_class(), ())}


def register_core_models():
    for model_name, excluded in CORE_MODELS:
        audit(apps.get_model("assurance", model_name), exclude=excluded)


ACTIONS = {0: "created", 1: "changed", 2: "deleted", 3: "viewed"}


def describe_entries(entries):
    """Audit entries ready to show: each with its changes as (field, before, after) rows.

    Related objects are stored by id; their names are looked up for the whole page at once
    (one query per related model), so a page of entries costs a fixed number of queries.
    """
    entries = list(entries)
    foreign_keys = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if field is not None and field.many_to_one:
                ids = foreign_keys.setdefault(field.related_model, set())
                ids.update(v for v in values if v not in (None, "None", ""))
    names = {}
    for model, ids in foreign_keys.items():
        valid = [i for i in ids if str(i).isdigit()]
        # Names such as an edition's ("Framework 2026.1") read a related row: fetch it alongside.
        related = model._default_manager.filter(pk__in=valid)
        joined = [field.name for field in model._meta.concrete_fields if field.many_to_one]
        if joined:
            related = related.select_related(*joined)
        names[model] = {str(obj.pk): str(obj) for obj in related}
    hidden = _hidden_entries(entries)
    for entry in entries:
        model = entry.content_type.model_class()
        entry.action_label = ACTIONS.get(entry.action, "changed")
        entry.model_label = str(model._meta.verbose_name).capitalize() if model else entry.content_type.model
        entry.rows = [] if entry.pk in hidden else [
            _describe_change(model, name, values, names)
            for name, values in sorted((entry.changes_dict or {}).items(), key=_field_order(model))
            if name != "id"
        ]
        entry.values_hidden = entry.pk in hidden
        entry.object_repr = _readable_repr(model, entry)
    return entries


# What separates the parts of a stored name such as a stage change's "12: report_draft → final".
_SEPARATORS = re.compile(r"(\s*(?:→|:|–|\(|\)|,)\s*)")


def _readable_repr(model, entry):
    """The name of the entry's object as it was stored, with the raw values of the model's choice
    fields in words: entries written before names used the labels ("12: report_draft → final")
    read "12: Draft report → Final report issued". Only whole parts are replaced, never a word
    inside a sentence (an action's description keeps its "open")."""
    if model is None or not entry.object_repr:
        return entry.object_repr
    # A value that already reads as its label ("member" for Member) stays as the name has it.
    words = {str(key): str(label) for field in model._meta.concrete_fields if field.choices
             for key, label in field.flatchoices if str(key).lower() != str(label).lower()}
    return "".join(words.get(part, part) if part else part for part in _SEPARATORS.split(entry.object_repr))


def _field_order(model):
    """Changes in the order the model declares its fields: PostgreSQL's jsonb keeps no key order."""
    order = {field.name: index for index, field in enumerate(model._meta.get_fields())} if model else {}
    return lambda item: (order.get(item[0], len(order)), item[0])


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since the entry was written
        return None
    return field if field.concrete else None


M2M_OPERATIONS = {"add": "added", "delete": "removed", "clear": "cleared"}


def _describe_change(model, name, values, names):
    if isinstance(values, dict) and values.get("type") == "m2m":
        field = model._meta.get_field(name) if model else None
        label = str(field.verbose_name) if field else name
        operation = M2M_OPERATIONS.get(values.get("operation"), values.get("operation"))
        return label, "—", f"{operation}: {'; '.join(str(o) for o in values.get('objects', []))}"
    field = _field(model, name)
    before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
    if field is None:
        return name, before, after
    if field.many_to_one:
        lookup = names.get(field.related_model, {})
        before, after = lookup.get(str(before), before), lookup.get(str(after), after)
    elif field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        before, after = labels.get(str(before), before), labels.get(str(after), after)
    return str(field.verbose_name), _blank_as_dash(before), _blank_as_dash(after)


def _blank_as_dash(value):
    return "—" if value in (None, "None", "") else value
