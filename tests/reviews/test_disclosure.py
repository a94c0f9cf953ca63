"""The generated disclosure test: a distinct marker in every kind of fact, for two services at every
stage of a review (one the personas belong to, one none of them does); every persona (and someone
not signed in) fetches every page, PDF (as text), CSV and JSON, and the emails are caught; each
marker must appear exactly where the disclosure policy (reviews/disclosure.py) lets that reader see
it: never anywhere else, and somewhere for everyone who may see it.

A new address (URL pattern) that is neither a document here nor listed as not one fails the test,
so no page can be added without being checked."""

from dataclasses import dataclass

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assurance.models import User
from reviews.cycles.models import CycleState
from reviews.disclosure import Fact, disclosure
from reviews.notices.tasks import send_due_notices
from reviews.notices.urgent import notify_escalated_concern, notify_urgent_concern
from reviews.peer.models import Finding, FindingKind
from tests.support.disclosure import MARKERS, PERSONAS, build_world, markers_in
from tests.support.documents import pdf_text

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"

# Addresses that show no fact about a cycle, or only facts checked elsewhere, and why.
NOT_DOCUMENTS = {
    "reviews:autosave": "saves a step: POST only, answers with versions",
    "reviews:cycle-reopen": "reopens a self-assessment: POST only",
    "reviews:cycle-open": "a form to open a cycle: no cycle's facts",
    "reviews:conflicts": "a reviewer's own declarations: no cycle's facts",
    "reviews:notice-settings": "a person's own choice of emails: no cycle's facts",
    "reports:report-issue": "issues a final report: POST only",
    "reports:network-reports": "the list of network reports asked for: no cycle's facts",
    "reports:report-status": "a background report's progress: no cycle's facts",
    "reviews:questionnaire-page": "a member's own answers in progress, kept in their browser session: nobody else's",
    "reviews:questionnaire-thanks": "thanks a member for answering: no counts, no one else's answers",
    "reviews:questionnaire-printable": "the questions on paper, to print: no answers, no counts",
    "reviews:members-self-assessment-moved": "an old address of the members' self-assessment: leads to the questionnaire",
    "reviews:members-answers-moved": "an old address of the members' self-assessment: leads to the questionnaire",
    "reviews:members-step-moved": "an old address of the members' self-assessment: leads to the questionnaire",
    "questionnaire:start": "answering at a session, by its code, without signing in: the questions only",
    "questionnaire:answer": "answering at a session, by its code, without signing in: the questions only",
    "questionnaire:page": "answering at a session, by its code, without signing in: the questions only",
    "questionnaire:check": "answering at a session: the answerer's own answers, kept in their browser session",
    "questionnaire:thanks": "answering at a session: thanks, nothing else",
    "reviews:reviewers": "network administrators' list of reviewers: training, vetting, availability; no cycle's facts",
    "reviews:reviewer": "one reviewer's record, for network administrators: no cycle's facts",
    "reviews:reviewer-record": "a reviewer's own record and times unavailable: no cycle's facts",
    "reviews:reciprocity": "visits given and received per service, as counts: no cycle's facts",
    "network-import": "importing services and people from a file: no cycle's facts",
    "network-import-template": "an example import file: no one's data",
    "accept-invitation": "setting one's own password from an invitation: no cycle's facts",
    "health": "a load balancer's probe: whether the database, storage and queue answer",
    "standards:index": "the standards: no cycle's facts",
    "standards:upload": "loading a standards file",
    "standards:compare": "comparing editions",
    "standards:edition": "an edition's criteria",
    "standards:export": "an edition as YAML",
}
NOT_OURS = ("admin:", "login", "logout", "password_")


@dataclass
class Document:
    persona: str
    name: str
    place: object  # None for documents about no one cycle
    text: str


def cycle_documents(place):
    """Every document about one cycle: (address name, arguments, whether it is a PDF)."""
    pk = place.cycle.pk
    documents = [("reviews:cycle", [pk], False), ("reviews:evidence", [pk], False)]
    documents += [("reviews:hub", [pk, "staff"], False), ("reviews:answers", [pk, "staff"], False)]
    documents += [("reviews:answer-step", [pk, "staff", step], False) for step in ("V1", "check")]
    # The members' voice (counts, free text, quotes, sessions), and the questionnaire's pages for a
    # member with an account and for the staff who type in paper copies and meetings' answers.
    documents += [(f"reviews:{name}", [pk], False) for name in
                  ("members", "questionnaire", "questionnaire-check", "questionnaire-paper", "questionnaire-meeting")]
    documents += [(f"reviews:{name}", [pk], False) for name in
                  ("visit", "review", "review-quick", "agreement", "findings", "accuracy", "decision", "feedback",
                   "follow-up", "appeal", "interim-review")]
    documents += [("reviews:review-value", [pk, "V1"], False), ("reviews:agree-value", [pk, "V1"], False)]
    documents += [("reports:visit-pack", [pk], True), ("reviews:visit-ics", [pk], False)]
    documents += [("reviews:agree-criterion", [pk, code], False) for code in ("V1.1", "V1.2", "V1.3")]
    documents += [("reviews:action", [pk, action.pk], False) for action in place.actions]
    # A removed file's page (410): a file's bytes are not read here (access: test_access_everywhere).
    documents += [("reviews:evidence-download", [pk, item.pk], False) for item in place.removed]
    documents += [("reports:report", [pk], False), ("reports:report-pdf", [pk], True)]
    documents += [("reports:cycle-export", [pk, fmt], False) for fmt in ("csv", "json")]
    if place.cycle.state in CycleState.CONCLUDED:
        documents.append(("reports:report-final", [pk, 1], True))
    return documents


def world_documents(world):
    """Documents about no one cycle: home, services, the audit log, portfolios, summaries, exports."""
    documents = [("home", [], False), ("service-list", [], False), ("audit-log", [], False),
                 ("reports:portfolio", [], False)]
    for place in world.places:
        slug = place.cycle.service.slug
        documents += [("service-detail", [slug], False), ("reports:service-summary", [slug], True)]
    documents += [("reports:edition-export", [world.edition.pk, fmt], False) for fmt in ("csv", "json")]
    return documents


def _read(client, name, args, is_pdf):
    response = client.get(reverse(name, args=args))
    if response.status_code not in (200, 410):  # 410: a removed evidence file's page, which says so
        return ""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return pdf_text(body) if is_pdf else body.decode()


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def read_everything(world):
    documents = []
    for persona in [*PERSONAS, ANONYMOUS]:
        client = _client(world.people.get(persona))
        for place in world.places:
            documents += [Document(persona, name, place, _read(client, name, args, is_pdf))
                          for name, args, is_pdf in cycle_documents(place)]
        documents += [Document(persona, name, None, _read(client, name, args, is_pdf))
                      for name, args, is_pdf in world_documents(world)]
        if persona == "commissioner":  # the whole portfolio as one PDF, built in the background
            documents.append(Document(persona, "reports:report-download", None, _portfolio_pdf(client)))
    return documents


def _portfolio_pdf(client):
    response = client.post(reverse("reports:portfolio"))
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    return _read(client, "reports:report-download", [pk], True)


def catch_emails(world):
    """Every email about an urgent concern, and every reminder and notice due today, as the task
    worker sends them: their subject, plain text and HTML."""
    mail.outbox = []
    for finding in Finding.objects.filter(kind=FindingKind.URGENT):
        notify_urgent_concern.call(finding.pk)
        if finding.is_escalated:
            notify_escalated_concern.call(finding.pk)
    send_due_notices.call(timezone.localdate().isoformat())
    by_address = {user.email: name for name, user in world.people.items()}
    return [Document(by_address.get(message.to[0], message.to[0]), "email", None,
                     "\n".join([message.subject, message.body, *(html for html, _type in message.alternatives)]))
            for message in mail.outbox]


@pytest.fixture(scope="module")
def seen(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, every document every persona reads, the emails, and what the policy lets each
    persona see of each cycle. Built once; the data is rolled back afterwards."""
    with (django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))):
        assert "test" in str(connection.settings_dict["NAME"]) or "memory" in str(connection.settings_dict["NAME"])
        with transaction.atomic():
            ids_beyond_the_markers()
            world = build_world()
            documents = read_everything(world) + catch_emails(world)
            # An email may go to someone who is not a persona (a member of staff who saved an
            # answer gets the staff's reminders): what they may see is asked of the policy too.
            recipients = {doc.persona for doc in documents} - {*PERSONAS, ANONYMOUS}
            readers = {**{persona: world.people.get(persona) for persona in [*PERSONAS, ANONYMOUS]},
                       **{address: User.objects.get(email=address) for address in recipients}}
            allowed = {(persona, place.index): disclosure(reader, _with_team(place.cycle))
                       for persona, reader in readers.items() for place in world.places}
            transaction.set_rollback(True)
    return world, documents, allowed


def ids_beyond_the_markers():
    """The members' counts are markers written as numbers (1000 or 1500 and the cycle's index): the
    world's rows get ids of six digits, so that no id in an export or a page reads as one, however
    many rows the test run made before (an export of cycle 6 once showed an id of 1511)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
            for (name,) in cursor.fetchall():
                cursor.execute("SELECT setval(%s, GREATEST(nextval(%s), %s))", [name, name, SIX_DIGITS])
        else:  # SQLite: AUTOINCREMENT tables continue from sqlite_sequence
            cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s)", [SIX_DIGITS])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) SELECT name, %s FROM sqlite_master WHERE "
                           "type = 'table' AND sql LIKE '%%AUTOINCREMENT%%' AND name NOT IN "
                           "(SELECT name FROM sqlite_sequence)", [SIX_DIGITS])


SIX_DIGITS = 100_000


def _with_team(cycle):
    return type(cycle).objects.select_related("visit").prefetch_related("visit__team").get(pk=cycle.pk)


def may_see(persona, place_index, marker, allowed):
    facts, author = MARKERS[marker]
    disclosed = allowed[(persona, place_index)]
    if author == persona and Fact.OWN_RATINGS in disclosed:
        return True
    return disclosed.any(*facts)


def test_no_document_shows_a_marker_its_reader_may_not_see(seen):
    world, documents, allowed = seen

    leaks = sorted({
        f"{doc.persona} reads {marker} of cycle {index} in {doc.name}"
        + (f" of cycle {doc.place.index}" if doc.place else "")
        for doc in documents
        for marker, index in markers_in(doc.text, len(world.places))
        if marker in MARKERS and not may_see(doc.persona, index, marker, allowed)
    })

    assert leaks == []


def test_every_reader_finds_every_marker_they_may_see(seen):
    world, documents, allowed = seen
    found = {(doc.persona, marker, index) for doc in documents for marker, index in markers_in(doc.text, len(world.places))}

    missing = sorted(
        f"{persona} never reads {marker} of {place.label}"
        for persona in PERSONAS for place in world.places for marker in MARKERS
        if may_see(persona, place.index, marker, allowed) and (persona, marker, place.index) not in found
    )

    assert missing == [], "\n".join(missing)


def test_the_count_of_checks(seen):
    world, documents, _allowed = seen
    checks = len(documents) * len(MARKERS) * len(world.places)
    print(f"\n{len(PERSONAS) + 1} personas × {len(documents)} documents and emails × {len(MARKERS)} markers × "
          f"{len(world.places)} cycles: {checks} checks")

    assert {doc.persona for doc in documents} >= {*PERSONAS, ANONYMOUS} - {"outsider", "offteam"}
    assert sum(1 for doc in documents if doc.name == "email") > 0
    assert any("the draft report is ready for you to check" in doc.text for doc in documents if doc.name == "email")
    assert checks > 100_000


def _names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_address_is_a_document_here_or_said_not_to_be():
    documented = {name for name, _args, _pdf in cycle_documents(_FakePlace()) + world_documents(_FakeWorld())}
    documented |= {"reports:report-final", "reports:report-download", "reviews:action", "reviews:evidence-download"}
    addresses = {name for name in _names(get_resolver()) if not name.startswith(NOT_OURS)}

    assert addresses - documented - set(NOT_DOCUMENTS) == set(), "a new page: add it to this test's documents"
    assert set(NOT_DOCUMENTS) <= addresses, "an address listed as not a document no longer exists"


class _FakeCycle:
    pk = 1
    state = CycleState.FINAL

    class service:  # noqa: N801 - stands in for a related object
        slug = "a"


class _FakePlace:
    cycle = _FakeCycle
    actions = ()
    removed = ()


class _FakeWorld:
    places = [_FakePlace]

    class edition:  # noqa: N801
        pk = 1
