"""The world of test_access_everywhere.py: the personas' own review, another service's, the
requests people make, and snapshots of the database to prove a refused request changed nothing."""


import datetime
import hashlib
from dataclasses import dataclass, replace

from auditlog.models import LogEntry
from django.apps import apps
from django.db import connection
from django.utils import timezone

from assurance.models import RoleKind
from reviews.cycles.services import open_cycle
from reviews.models import (
    AccuracyComment,
    Action,
    CycleState,
    Finding,
    FindingKind,
    JobStatus,
    Perspective,
    ReportKind,
    TeamMember,
    TeamRole,
    Visit,
)
from reviews.peer.services import escalate_urgent_concern, give_feedback
from reviews.reports.services import issue_final_report
from standards.models import EditionStatus
from tests.factories import (
    EditionFactory,
    FrameworkFactory,
    ReportFactory,
    RoleFactory,
    TimetableItemFactory,
    UserFactory,
)
from tests.support.access_pages import (
    ANONYMOUS,
    SIGN_IN,
    Side,
)
from tests.support.evidence import file_item
from tests.support.personas import Personas, make_personas, reviewer
from tests.support.reviews import PeerReview

# --- the world --------------------------------------------------------------------------------

# Words that appear only in Elm House's review: no page any persona but an administrator reads
# may show them, nor Elm House's name, but where a reviewer declares a conflict of interest (with
# any service of the network).
ELM = "Elm-House-only"
NAMES_EVERY_SERVICE = {"reviews:conflicts"}


def ready_report(kind, owner, **fields):
    """A report built in the background, ready to download."""
    report = ReportFactory(kind=kind, cycle=None, owner=owner, requested_by=owner, status=JobStatus.READY,
                           started_at=timezone.now(), data_hash="", **fields)
    report.keep_pdf(b"%PDF-1.4\n%%EOF\n", 1)
    report.save()
    return report


def run_review(people, words=""):
    """A review of people.home run on to its final stage the usual way, with something on every
    page: an evidence file, answers, a timetable, findings (an urgent concern escalated), an action,
    a comment on accuracy and its answer, feedback, and the final report issued."""
    review = PeerReview(people)
    evidence = file_item(review.cycle, people.staff, name=f"{words}minutes.txt")
    review.self_rate("V1.1", "Met", narrative=f"{words} staff say the rota shows it.")
    review.self_rate("V1.2", "Partly met", perspective=Perspective.MEMBERS, narrative=f"{words} members say so.")
    review.to(CycleState.VISIT)
    TimetableItemFactory(visit=review.cycle.visit, details=f"{words} members' meeting.")
    Visit.objects.filter(cycle=review.cycle).update(date=timezone.localdate())  # a date, so a calendar file
    review.to(CycleState.RATINGS_AGREED)
    review.finding(kind=FindingKind.STRENGTH, text=f"{words} members chair the community meeting.")
    finding = review.finding(code="V1.1", text=f"{words} night staff miss reflective practice.")
    urgent = review.finding(kind=FindingKind.URGENT, text=f"{words} a fire door is propped open at night.")
    escalate_urgent_concern(urgent, escalated_by=people.admin, reason=f"{words} commissioners must know.")
    action = review.action(finding=finding, description=f"{words} include night staff.")
    review.to(CycleState.REPORT_DRAFT)
    review.answer(review.comment(finding=finding, text=f"{words} the buddy scheme is older."), f"{words} corrected.")
    review.to(CycleState.FINAL)
    give_feedback(review.cycle, given_by=people.lead, visit_rating=4, team_rating=5, went_well=f"{words} listening.",
                  could_improve=f"{words} more time.")
    issue_final_report(review.cycle, issued_by=people.admin)
    return review, evidence, action


def elm_house_people(personas):
    """Elm House's own people and its review team: none of them is a persona."""

    def person(username, kind):
        user = UserFactory(username=username)
        RoleFactory(user=user, kind=kind, service=personas.other)
        return user

    return Personas(
        home=personas.other, other=personas.home, admin=personas.admin,
        lead=person("elm-lead", RoleKind.SERVICE_LEAD), staff=person("elm-staff", RoleKind.STAFF),
        member=person("elm-member", RoleKind.MEMBER), reviewer=reviewer("elm-reviewer"),
        lived_experience_reviewer=reviewer("elm-lived", RoleKind.LIVED_EXPERIENCE_REVIEWER),
        lead_reviewer=reviewer("elm-leadreviewer", RoleKind.LEAD_REVIEWER),
        commissioner=person("elm-commissioner", RoleKind.COMMISSIONER), outsider=UserFactory(username="elm-outsider"),
    )


@dataclass
class World:
    personas: object
    own: list  # sides: the home service's closed review, and its next cycle, open
    foreign: Side  # Elm House's review at its final stage, its commissioner's portfolio, a draft edition
    mixed: Side  # the home service's closed review, with Elm House's evidence and action
    missing: Side  # ids of nothing
    buttons: dict  # a POST pressing every button of the site, with Elm House's ids
    elm: object  # Elm House's people


def build_world():
    personas = make_personas()
    # The personas' own: the home service's review, closed, and its next cycle, open.
    review, evidence, action = run_review(personas)
    review.close()
    cycle = review.cycle
    following = open_cycle(service=personas.home, edition=cycle.edition, opened_by=personas.admin,
                           self_assessment_due=timezone.localdate() + datetime.timedelta(days=60))
    following_evidence = file_item(following, personas.member, added_as=Perspective.MEMBERS)
    carried = Action.objects.get(cycle=following, carried_from=action)
    portfolio = ready_report(ReportKind.PORTFOLIO, personas.commissioner)
    network = ready_report(ReportKind.NETWORK, personas.admin, edition=cycle.edition, year=timezone.localdate().year)
    own = Side(
        "own", cycle=cycle.pk, evidence=evidence.pk, action=action.pk, version=1, service=personas.home.slug,
        edition=cycle.edition.pk, framework=cycle.edition.framework.slug, edition_version=cycle.edition.version,
        reports=(portfolio.pk, network.pk), reviewer=personas.reviewer.pk,
    )
    own_next = replace(own, name="own, next cycle", cycle=following.pk, evidence=following_evidence.pk,
                       action=carried.pk)

    # Another service's: Elm House's review at its final stage, its commissioner's portfolio, and a
    # draft edition of a framework with no other edition (only network administrators see drafts).
    elm = elm_house_people(personas)
    theirs, their_evidence, their_action = run_review(elm, words=ELM)
    their_portfolio = ready_report(ReportKind.PORTFOLIO, elm.commissioner)
    draft = EditionFactory(framework=FrameworkFactory(slug="unpublished-standards", name="Unpublished Standards"),
                           version="0.9", status=EditionStatus.DRAFT)
    foreign = Side(
        "foreign", cycle=theirs.cycle.pk, evidence=their_evidence.pk, action=their_action.pk, version=1,
        service=personas.other.slug, edition=draft.pk, framework=draft.framework.slug, edition_version=draft.version,
        reports=(their_portfolio.pk,), reviewer=elm.reviewer.pk,
    )
    mixed = replace(own, name="own cycle, foreign thing", evidence=their_evidence.pk, action=their_action.pk)
    missing = Side("missing", cycle=999_999, evidence=999_999, action=999_999, version=99, service="no-such-service",
                   edition=999_999, framework="no-such-standards", edition_version="9.9", reports=(999_999,),
                   reviewer=999_999)
    return World(personas, [own, own_next], foreign, mixed, missing, buttons(theirs.cycle, elm), elm)


def buttons(cycle, people):
    """Every button of the site pressed at once, with valid-looking fields and the other review's
    ids: a page that acted before checking who is asking would act on this."""
    urgent = Finding.objects.get(cycle=cycle, kind=FindingKind.URGENT)
    return {
        # the cycle, the self-assessment and evidence
        "reason": "Reopened to test.", "submit": "", "confirm": "on", "save_and_exit": "", "add_link": "",
        "link-title": "Minutes", "link-url": "https://example.org/minutes", "add_file": "",
        # the visit and the team
        "save_visit": "", "date": "2030-01-01", "notes": "Notes.", "add_item": "", "starts_at": "10:00",
        "kind": "members", "remove_item": str(cycle.visit.timetable.first().pk), "add_member": "",
        "user": str(people.outsider.pk), "place": TeamRole.PEER_REVIEWER,
        "remove_member": str(TeamMember.objects.filter(visit__cycle=cycle).first().pk), "start_review": "",
        # ratings, agreeing, findings and actions
        "save": "", "save_and_next": "", "rationale": "Agreed.", "version": "1", "level": "na",
        "add_finding": "", "finding-kind": FindingKind.URGENT, "finding-text": "A new concern.",
        "add_action": "", "acknowledge": str(urgent.pk), "escalate": str(urgent.pk),
        f"escalation-{urgent.pk}-reason": "They must know.", "send_draft": "",
        "status": "done", "note": "Done.",
        # accuracy, the decision, feedback, reports
        "add_comment": "", "text": "A comment.", "about": "general",
        "answer": str(AccuracyComment.objects.filter(cycle=cycle).first().pk), "response": "Answered.",
        "close": "", "outcome": "awarded", "visit_rating": "5", "team_rating": "5", "went_well": "All.",
        "again": "",
    }


# --- requests and the database ----------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str = ""
    error: str = ""
    body: str = ""


def ask(client, method, url, data=None):
    """A GET or a POST, read whole; an exception in the view is a 500 with its message."""
    try:
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        content = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception as error:  # noqa: BLE001 - any exception is what this test looks for
        return Answer(500, error=f"{type(error).__name__}: {error}")
    readable = response.get("Content-Type", "").startswith(("text/", "application/json"))
    return Answer(response.status_code, response.get("Location", ""),
                  body=content.decode("utf-8", "replace") if readable else "")


def sign_in(client, persona, personas):
    if persona != ANONYMOUS:
        client.force_login(getattr(personas, persona), backend="django.contrib.auth.backends.ModelBackend")


def sent_to_sign_in(answer, url):
    return answer.status == 302 and answer.location == f"{SIGN_IN}?next={url}"


# Every row of these is compared; every other table (sessions, background tasks, throttling,
# permissions…) is counted.
COMPARED_APPS = {"assurance", "standards", "reviews"}


def _tables():
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        compared = model._meta.app_label in COMPARED_APPS or model is LogEntry
        tables.append((model._meta.label, model._meta.db_table, model._meta.pk.column, compared))
    return tables


def snapshot():
    """Row counts of every table, and a hash of every row of the network, the standards, the reviews
    and the audit log."""
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for label, table, pk, compared in _tables():
            if compared:
                cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608 - our own tables
                rows = cursor.fetchall()
                state[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
            else:
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
                state[label] = (cursor.fetchone()[0], None)
    return state


def changes(before, after):
    return sorted(
        f"{label} ({before[label][0]} → {after[label][0]} rows)" if before[label][0] != after[label][0]
        else f"{label} (rows changed)"
        for label in after if before.get(label) != after[label]
    )


# --- known bugs -------------------------------------------------------------------------------

# Known application bugs, each still failing (strict): (persona, page, side, method) → what is wrong.
KNOWN_BUGS = {}


def unexpected(failures, tried):
    """Known bugs must still fail (and are not reported again); a fixed one must leave KNOWN_BUGS."""
    fixed = sorted(key for key in KNOWN_BUGS if key in tried and key not in failures)
    assert not fixed, f"These known bugs no longer fail; remove them from KNOWN_BUGS: {fixed}"
    return {key: messages for key, messages in failures.items() if key not in KNOWN_BUGS}


def listed(failures):
    return "\n".join(f"{persona} {method} {page} [{side}]: {message}"
                      for (persona, page, side, method), messages in sorted(failures.items()) for message in messages)


class Checks:
    """The requests of one test: which cases were tried, what went wrong in each."""

    def __init__(self):
        self.tried, self.failures, self.count = set(), {}, 0

    def case(self, *key):
        self.tried.add(key)
        self.count += 1
        return key

    def fail(self, key, message):
        self.failures.setdefault(key, []).append(message)

    def assert_none_went_wrong(self):
        wrong = unexpected(self.failures, self.tried)
        total = sum(len(messages) for messages in wrong.values())
        assert not wrong, f"{total} of {self.count} requests went wrong:\n{listed(wrong)}"
