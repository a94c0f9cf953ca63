"""A person to erase, named uniquely, with a trace in every kind of record: Zebedee Quillfeather,
lead reviewer of Kestrel Wing's review, who rated and commented, owns an action, is named in a
draft and an issued final report, received a notice, failed a sign-in and has a session."""

import json

from auditlog.context import set_actor
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assurance.models import ReviewerRecord, Unavailability
from reviews.models import CycleState, Report, SentNotice
from reviews.reports.services import draft_service_report, issue_final_report
from tests.support.reviews import PeerReview

FIRST, LAST, EMAIL, USERNAME = "Zebedee", "Quillfeather", "zq@example.org", "zquillfeather"
# Each searched for as a plain substring, ignoring case: the surname covers the username too.
TRACES = ("zebedee", "quillfeather", "zq@example.org")


def make_zebedee(personas):
    zebedee = personas.lead_reviewer
    zebedee.first_name, zebedee.last_name, zebedee.email, zebedee.username = FIRST, LAST, EMAIL, USERNAME
    zebedee.save()  # the audit log records the names
    ReviewerRecord.objects.create(user=zebedee, vetting="Enhanced DBS", notes="Zebedee prefers morning visits.")
    Unavailability.objects.create(user=zebedee, starts_on="2026-08-01", ends_on="2026-08-14",
                                  note="Zebedee Quillfeather on leave")
    return zebedee


def zebedees_review(personas):
    """The review taken to its final report, with Zebedee's traces along the way."""
    zebedee = make_zebedee(personas)
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates()  # each comment reads "<name> on <code>."
    with set_actor(zebedee):  # the audit log names them as the one who did it
        review.action(owner="Zebedee Quillfeather, with the deputy manager")
    review.agree_everything().finish()
    review.to(CycleState.REPORT_DRAFT)
    draft_service_report(review.cycle, reader=personas.admin)  # a cached draft naming the team
    review.to(CycleState.FINAL)
    if not Report.objects.filter(cycle=review.cycle, is_final=True).exists():
        issue_final_report(review.cycle, issued_by=personas.admin)
    SentNotice.objects.create(user=zebedee, kind="reminder", key="visit", cycle=review.cycle,
                              subject="Your visit to Kestrel Wing, Zebedee Quillfeather")
    Client().post(reverse("login"), {"username": USERNAME, "password": "not the password"})
    Client().force_login(zebedee, backend="django.contrib.auth.backends.ModelBackend")
    return zebedee, review


def traces_in_tables():
    """(table.column, pk, a trace) for every text or JSON value anywhere that holds a trace."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        for row in model._base_manager.values("pk", *[f.attname for f in fields]):
            for name, value in row.items():
                text = json.dumps(value, ensure_ascii=False).lower() if not isinstance(value, str) else value.lower()
                found += [(f"{model._meta.db_table}.{name}", row["pk"], t) for t in TRACES if t in text]
    return found


def stored_texts():
    """Every stored file's text: a PDF's as a reader extracts it, any other file's bytes."""
    texts = {}
    for name in _all_files(""):
        with default_storage.open(name, "rb") as file:
            content = file.read()
        if content.startswith(b"%PDF"):
            with default_storage.open(name, "rb") as file:
                texts[name] = "\n".join(page.extract_text() for page in PdfReader(file).pages)
        else:
            texts[name] = content.decode("latin-1")
    return texts


def _all_files(folder):
    folders, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _all_files(f"{folder}/{sub}" if folder else sub)


def traces_in(text):
    text = " ".join(text.lower().split())
    return [t for t in TRACES if t in text]
