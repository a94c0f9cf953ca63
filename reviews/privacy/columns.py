"""Every text and JSON column of every table, found by introspection (so a table added later is
searched too), and the rows in which a person's traces appear."""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

# Columns that hold no readable text: a session's signed data (a person's sessions are deleted
# whole) and password hashes.
SKIPPED = {("sessions.Session", "session_data"), ("assurance.User", "password")}


@dataclass(frozen=True)
class Column:
    model: type
    field: models.Field

    @property
    def is_json(self):
        return isinstance(self.field, models.JSONField)

    @property
    def name(self):
        return f"{self.model._meta.db_table}.{self.field.column}"


@dataclass(frozen=True)
class Hit:
    column: Column
    pk: object


def text_columns():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if (model._meta.label, field.name) in SKIPPED:
                continue
            if isinstance(field, (models.JSONField, models.CharField, models.TextField)):
                yield Column(model, field)


def _candidate_rows(column, terms):
    """(pk, value) of the rows whose column contains any of `terms`, ignoring case: the database
    narrows them down; Python then decides (whole words, JSON strings)."""
    rows = column.model._base_manager.all()
    lookup = f"{column.field.attname}__icontains"
    if column.is_json:
        rows = rows.annotate(privacy_text=Cast(column.field.attname, models.TextField()))
        lookup = "privacy_text__icontains"
    condition = Q()
    for term in terms:
        condition |= Q(**{lookup: term})
    return rows.filter(condition).values_list("pk", column.field.attname)


def _holds(traces, column, value):
    return traces.json_found(value) if column.is_json else traces.found_in(value)


def find(traces):
    """Every (column, row) in which the traces appear."""
    terms = traces.search_terms()
    return [Hit(column, pk) for column in text_columns()
            for pk, value in _candidate_rows(column, terms) if _holds(traces, column, value)]


def rewrite(traces):
    """Replaces the traces with the label in every column of every table, row by row through
    update() (no signals: the audit log must not record the old values again). The hits."""
    terms = traces.search_terms()
    hits = []
    for column in text_columns():
        for pk, value in list(_candidate_rows(column, terms)):
            if not _holds(traces, column, value):
                continue
            new = traces.rewrite_json(value) if column.is_json else traces.rewrite_text(value)
            if isinstance(new, str) and column.field.max_length:
                new = new[: column.field.max_length]
            column.model._base_manager.filter(pk=pk).update(**{column.field.attname: new})
            hits.append(Hit(column, pk))
    return hits
