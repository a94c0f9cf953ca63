"""Every address of the site, walked from the URLconf, for every persona and for anonymous, on the
persona's own objects and on another service's, with a GET and a POST each.

- Another service's objects (Elm House's review at its final stage, with its evidence file,
  findings, actions and final report; another commissioner's portfolio report; a draft edition of
  a framework of its own) answer exactly as objects that do not exist do (404, or 405 where the
  method is never allowed) to everyone but a network administrator; anonymous people are sent to
  sign in. So do one's own cycle's addresses carrying another cycle's evidence or action, for
  everyone. The POST presses every button of the site at once, with the other service's ids in
  it. None of these requests changes the database: row counts of every table, and every row of
  the network, the standards, the reviews and the audit log.
- One's own objects never answer 500, on a GET or on an empty POST; a request refused there (4xx)
  changes nothing; anonymous people are sent to sign in; and no page a persona reads (HTML, CSV,
  JSON) shows a word of the other service's review, or its name.
- One's own pages' forms naming another cycle's urgent concern, timetable item, team member or
  evidence change nothing (and do act when naming one's own).

The URLconf is walked, not listed: an address the table below cannot fill fails
test_every_address_is_known, so nobody adds a page without this test covering it.
"""

import datetime
import hashlib
import itertools
import logging
from dataclasses import dataclass, replace

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.cycles.services import open_cycle
from reviews.models import (
    AccuracyComment,
    Action,
    Cycle,
    CycleState,
    Evidence,
    Finding,
    FindingKind,
    JobStatus,
    Perspective,
    ReportKind,
    TeamMember,
    TeamRole,
)
from reviews.peer.services import escalate_urgent_concern, give_feedback
from reviews.reports.services import issue_final_report
from standards.models import EditionStatus
from tests.factories import (
    CycleFactory,
    EditionFactory,
    FindingFactory,
    FrameworkFactory,
    ReportFactory,
    RoleFactory,
    TeamMemberFactory,
    TimetableItemFactory,
    UserFactory,
    VisitFactory,
)
from tests.support.evidence import file_item, wizard_post
from tests.support.personas import PERSONA_NAMES, Personas, make_personas, reviewer
from tests.support.reviews import PeerReview

SIGN_IN = reverse("login")
ANONYMOUS = "anonymous"
EVERYONE = [*PERSONA_NAMES, ANONYMOUS]
ADMIN = "admin"
METHODS = ("GET", "POST")

# --- the addresses ----------------------------------------------------------------------------

# Not walked: the admin site (Django's own permission checks); static and media files.
SKIPPED_ROUTES = ("admin/",)
# Public by design: signing in, and resetting a forgotten password.
PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}

# Every address this test knows, by name. A new one fails test_every_address_is_known until it is
# added here and FILL (or FILL_ON) can fill its parameters.
KNOWN = {
    # the network core and accounts
    "home", "service-list", "service-detail", "audit-log", "logout", "password_change", "password_change_done",
    # standards
    "standards:index", "standards:upload", "standards:compare", "standards:edition", "standards:export",
    # a review cycle: the cycle, the self-assessment, the peer review
    "reviews:cycle-open", "reviews:cycle", "reviews:cycle-reopen",
    "reviews:hub", "reviews:answer-step", "reviews:autosave", "reviews:answers",
    "reviews:evidence", "reviews:evidence-download",
    "reviews:conflicts", "reviews:visit", "reviews:review", "reviews:review-value",
    "reviews:agreement", "reviews:agree-criterion", "reviews:findings", "reviews:action",
    "reviews:accuracy", "reviews:decision", "reviews:feedback",
    # reports
    "reports:report", "reports:report-pdf", "reports:report-final", "reports:report-issue",
    "reports:cycle-export", "reports:portfolio", "reports:service-summary", "reports:network-reports",
    "reports:edition-export", "reports:report-status", "reports:report-download",
}


@dataclass(frozen=True)
class Side:
    """The objects whose ids fill the addresses: a persona's own, another service's, or none at all."""

    name: str
    cycle: object = 0
    evidence: object = 0
    action: object = 0
    version: object = 1  # of the cycle's final report
    service: str = "service"  # slug
    edition: object = 0  # pk
    framework: str = "framework"  # slug
    edition_version: str = "1.0"
    value: str = "V1"
    criterion: str = "V1.1"
    reports: tuple = (0,)  # reports built in the background


# Each parameter, by name: the values it takes for a side (each value gives one address).
FILL = {
    "pk": lambda side: [side.cycle],
    "evidence_pk": lambda side: [side.evidence],
    "action_pk": lambda side: [side.action],
    "version": lambda side: [side.version],
    "edition_pk": lambda side: [side.edition],
    "slug": lambda side: [side.service],
    "framework": lambda side: [side.framework],
    "perspective": lambda side: list(Perspective.values),
    "step": lambda side: [side.value, "check"],
    "value_code": lambda side: [side.value],
    "code": lambda side: [side.criterion],
    "fmt": lambda side: ["csv", "json"],
}
# Where a parameter's name means something else on one address.
FILL_ON = {
    ("reports:report-status", "pk"): lambda side: list(side.reports),
    ("reports:report-download", "pk"): lambda side: list(side.reports),
    ("standards:edition", "version"): lambda side: [side.edition_version],
    ("standards:export", "version"): lambda side: [side.edition_version],
}
# Parameters naming a thing inside a cycle: one's own cycle's address with another cycle's thing in
# it must answer as a missing thing does, even to a network administrator.
CHILDREN = {"evidence_pk", "action_pk"}


@dataclass(frozen=True)
class Page:
    name: str  # with its namespace, as reverse() takes it
    route: str
    params: tuple

    def filler(self, param):
        return FILL_ON.get((self.name, param)) or FILL.get(param)

    def urls(self, side):
        """Every address of this page for the side's objects, in a fixed order."""
        choices = [self.filler(param)(side) for param in self.params]
        return [reverse(self.name, kwargs=dict(zip(self.params, values, strict=True)))
                for values in itertools.product(*choices)]


def _is_static(pattern, route):
    module = getattr(pattern.callback, "__module__", "") or ""
    prefixes = [prefix.lstrip("/") for prefix in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")) if prefix]
    return module in ("django.views.static", "django.contrib.staticfiles.views") or any(
        prefix and route.startswith(prefix) for prefix in prefixes
    )


def _params_of(pattern):
    converters = getattr(pattern, "converters", None)
    return tuple(converters) if converters is not None else tuple(pattern.regex.groupindex)


def walk(patterns=None, route="", namespace="", params=()):
    """Every address of the URLconf, through its includes: (name with its namespace, route, parameters)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = route + str(pattern.pattern)
        if here.startswith(SKIPPED_ROUTES):
            continue
        found = params + _params_of(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from walk(pattern.url_patterns, here, inner, found)
        elif isinstance(pattern, URLPattern) and not _is_static(pattern, here):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, here, found


def pages():
    """The addresses this test checks: every walked one but the public ones."""
    return [Page(name, route, found) for name, route, found in walk() if name not in PUBLIC]


def requests_for(sides, page_list):
    """[(page, side, url)] for each page and side, each address once."""
    seen, found = set(), []
    for page in page_list:
        for side in sides:
            for url in page.urls(side):
                if url not in seen:
                    seen.add(url)
                    found.append((page, side, url))
    return found


def out_of_reach_requests(foreign, mixed, page_list):
    """Another service's objects on every address that takes an object; one's own cycle's
    addresses with another cycle's evidence or action in them."""
    with_objects = [page for page in page_list if page.params]
    return requests_for([foreign], with_objects) + requests_for(
        [mixed], [page for page in with_objects if CHILDREN & set(page.params)]
    )


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
        reports=(portfolio.pk, network.pk),
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
        reports=(their_portfolio.pk,),
    )
    mixed = replace(own, name="own cycle, foreign thing", evidence=their_evidence.pk, action=their_action.pk)
    missing = Side("missing", cycle=999_999, evidence=999_999, action=999_999, version=99, service="no-such-service",
                   edition=999_999, framework="no-such-standards", edition_version="9.9", reports=(999_999,))
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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module in a transaction of its own: each test runs in a
    savepoint inside it (the `db` fixture) and leaves it as it was; all of it is rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not the test database: {name}"
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture
def browse(world, db, client, caplog):
    """The test client, the network comparison's cache empty (it is keyed by ids), and no warning
    logged for each 404 (errors are still logged, with their traceback)."""
    caplog.set_level(logging.ERROR, logger="django.request")
    cache.clear()
    yield client
    cache.clear()


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


# --- the tests --------------------------------------------------------------------------------


def test_every_address_is_known():
    found = pages()
    names = [page.name for page in found]
    unnamed = sorted(page.route for page in found if page.name is None)
    assert not unnamed, f"Addresses without a name: {unnamed}. Name them, and add them to KNOWN in this test."
    new = sorted(set(names) - KNOWN)
    assert not new, (
        f"New addresses: {new}. Add each to KNOWN in tests/test_access_everywhere.py and teach FILL (or FILL_ON) "
        "its parameters, so that every persona is tried on it with their own objects and another service's."
    )
    gone = sorted(KNOWN - set(names))
    assert not gone, f"These addresses are gone; remove them from KNOWN: {gone}"
    assert len(names) == len(set(names)), f"Addresses sharing a name: {sorted(n for n in names if names.count(n) > 1)}"
    unfilled = sorted(f"{page.name} <{param}>" for page in found for param in page.params if page.filler(param) is None)
    assert not unfilled, f"Parameters this test cannot fill: {unfilled}. Teach FILL or FILL_ON how."

    # What the persona tests send, counted with placeholder ids (the counts do not depend on them).
    own = [Side("own", reports=(1, 2)), Side("own, next cycle", cycle=1, evidence=1, action=1, reports=(1, 2))]
    foreign = Side("foreign", cycle=2, evidence=2, action=2, service="elsewhere", edition=2, framework="other",
                   edition_version="0.9", reports=(3,))
    mixed = replace(own[0], name="mixed", evidence=2, action=2)
    own_count, foreign_count = len(requests_for(own, found)), len(out_of_reach_requests(foreign, mixed, found))
    total = len(EVERYONE) * len(METHODS) * (own_count + foreign_count)
    print(f"\nchecked {len(found)} patterns × {len(EVERYONE)} personas × 2 objects (own: {own_count} addresses, "
          f"foreign: {foreign_count}) × {len(METHODS)} methods = {total} requests")
    assert len(found) >= 43
    assert total >= 2_500


def test_the_snapshot_sees_every_change(browse, world):
    """The database check below sees a changed row of the reviews and of the audit log."""
    before = snapshot()
    Finding.objects.filter(cycle_id=world.foreign.cycle, kind=FindingKind.STRENGTH).update(text="Changed.")
    assert changes(before, snapshot()) == ["reviews.Finding (rows changed)"]
    before = snapshot()
    LogEntry.objects.filter(pk=LogEntry.objects.order_by("pk").first().pk).update(changes_text="Changed.")
    assert changes(before, snapshot()) == ["auditlog.LogEntry (rows changed)"]


def test_another_services_objects_are_there(browse, world):
    """Every address of another service's objects answers someone (its administrators, its
    commissioner or its reviewer) with something other than a 404: the 404s below are refusals."""
    sent = out_of_reach_requests(world.foreign, world.mixed, pages())
    people = {name: getattr(world.elm, name) for name in ("admin", "commissioner", "reviewer")}
    nobody = []
    for _page, side, url in sent:
        if side is world.mixed:
            continue
        answers = {}
        for name, person in people.items():
            browse.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
            answers[name] = ask(browse, "GET", url).status
            if answers[name] != 404:
                break
        if 404 in answers.values() and len(set(answers.values())) == 1:
            nobody.append(f"{url} {answers}")
    assert nobody == []


@pytest.mark.parametrize("persona", EVERYONE)
def test_another_services_objects_are_out_of_reach(browse, world, persona):
    """Everyone but a network administrator finds another service's objects exactly as missing
    ones; everyone finds another cycle's evidence and actions under their own cycle so; anonymous
    people are sent to sign in. On GET and on a POST pressing every button, changing nothing."""
    sign_in(browse, persona, world.personas)
    sent = out_of_reach_requests(world.foreign, world.mixed, pages())
    checks = Checks()
    before = snapshot()
    for (page, side, url), method in itertools.product(sent, METHODS):
        key = checks.case(persona, page.name, side.name, method)
        checked = persona != ADMIN or side is world.mixed
        answer = ask(browse, method, url, world.buttons)
        after = snapshot()
        if checked and after != before:
            checks.fail(key, f"{url} changed the database: {', '.join(changes(before, after))}")
        if answer.status == 500:
            checks.fail(key, f"{url} answered 500: {answer.error}")
        elif persona == ANONYMOUS:
            if not sent_to_sign_in(answer, url):
                checks.fail(key, f"{url} answered {answer.status} {answer.location}, not the way to sign in")
        elif checked:
            nothing = world.missing if side is world.foreign else replace(
                side, evidence=world.missing.evidence, action=world.missing.action)
            missing_url = page.urls(nothing)[page.urls(side).index(url)]
            expected = ask(browse, method, missing_url, world.buttons)
            after = snapshot()
            if expected.status not in (404, 405):
                checks.fail(key, f"{missing_url} (nothing there) answered {expected.status}")
            elif answer.status != expected.status:
                checks.fail(key, f"{url} answered {answer.status} {answer.location}, "
                                 f"where nothing there answers {expected.status}")
        before = after
    print(f"\n{persona}: {len(sent)} addresses of another service's objects × {len(METHODS)} methods "
          f"= {checks.count} requests")
    assert checks.count >= 80
    checks.assert_none_went_wrong()


# Statuses one's own objects may answer: anything but an error of the server.
OWN_STATUSES = {200, 302, 400, 403, 404, 405, 429}
# The autosave's answer when the answers are locked, or someone else changed them meanwhile.
OWN_STATUSES_ON = {"reviews:autosave": {409}}


# Pages each persona must reach (200 on a GET) with their own objects: the objects are theirs.
SERVICE_PAGES = {"reviews:cycle", "service-detail", "reviews:findings", "reports:report"}
REVIEWER_PAGES = {"reviews:cycle", "reviews:review", "reviews:agreement", "reports:report"}
MUST_REACH = {
    "admin": {"reviews:cycle", "audit-log", "reports:edition-export", "reports:report-download"},
    "lead": SERVICE_PAGES, "staff": SERVICE_PAGES, "member": SERVICE_PAGES,
    "reviewer": REVIEWER_PAGES, "lived_experience_reviewer": REVIEWER_PAGES, "lead_reviewer": REVIEWER_PAGES,
    "commissioner": {"reviews:cycle", "reports:portfolio", "reports:service-summary", "reports:report-download"},
    "outsider": {"home"},
    ANONYMOUS: set(),
}


@pytest.mark.parametrize("persona", EVERYONE)
def test_own_objects_never_fail(browse, world, persona):
    """Nothing answers 500 on one's own objects, on a GET or an empty POST, and a refused request
    (4xx) changes nothing; no page shows a word of another service's review, or its name, to anyone
    but an administrator; anonymous people are sent to sign in (signing out is for anyone: a GET is
    not allowed, a POST goes to the sign-in page)."""
    sign_in(browse, persona, world.personas)
    sent = requests_for(world.own, pages())
    elm_house = world.personas.other.name
    checks, reached = Checks(), set()
    before = snapshot()
    for (page, side, url), method in itertools.product(sent, METHODS):
        key = checks.case(persona, page.name, side.name, method)
        answer = ask(browse, method, url)
        after = snapshot()
        if 400 <= answer.status < 500 and after != before:
            checks.fail(key, f"{url} answered {answer.status} and changed the database: {', '.join(changes(before, after))}")
        if method == "GET" and answer.status == 200:
            reached.add(page.name)
        if persona != ANONYMOUS and "_auth_user_id" not in browse.session:
            sign_in(browse, persona, world.personas)  # after signing out
            after = snapshot()
        before = after
        if answer.status == 500:
            checks.fail(key, f"{url} answered 500: {answer.error}")
        elif answer.status not in OWN_STATUSES | OWN_STATUSES_ON.get(page.name, set()):
            checks.fail(key, f"{url} answered {answer.status}")
        elif persona not in (ADMIN, ANONYMOUS) and ELM in answer.body:
            checks.fail(key, f"{url} shows words of another service's review")
        elif persona not in (ADMIN, ANONYMOUS) and page.name not in NAMES_EVERY_SERVICE and elm_house in answer.body:
            checks.fail(key, f"{url} names another service")
        elif persona == ANONYMOUS and page.name == "logout":
            if (method, answer.status, answer.location) not in {("GET", 405, ""), ("POST", 302, SIGN_IN)}:
                checks.fail(key, f"{url} answered {answer.status} {answer.location}")
        elif persona == ANONYMOUS and not sent_to_sign_in(answer, url):
            checks.fail(key, f"{url} answered {answer.status} {answer.location}, not the way to sign in")
    print(f"\n{persona}: {len(sent)} addresses of their own objects × {len(METHODS)} methods = {checks.count} requests")
    assert checks.count >= 160
    assert MUST_REACH[persona] - reached == set(), "these are not the persona's own objects"
    checks.assert_none_went_wrong()


# --- another cycle's ids in the forms of one's own pages ---------------------------------------


def _urgent(cycle_pk):
    """An urgent concern, neither acknowledged nor escalated yet."""
    return FindingFactory(cycle_id=cycle_pk, kind=FindingKind.URGENT, text="An urgent concern.")


def _visit_with_team(cycle):
    """A timetable item and a team member on the cycle's visit (made if need be)."""
    visit = getattr(cycle, "visit", None) or VisitFactory(cycle=cycle)
    return TimetableItemFactory(visit=visit), TeamMemberFactory(visit=visit, user=reviewer(f"on-{cycle.pk}"))


def _post_to(name, own_index, fields):
    """Sends the form of one's own cycle's page: fields(thing) names the thing."""

    def send(client, world, thing):
        return client.post(reverse(f"reviews:{name}", args=[world.own[own_index].cycle]), fields(thing))

    return send


def _answer_with_evidence(client, world, evidence_pk):
    """Answers V1.1 in the staff's wizard of one's own open cycle, linking this evidence."""
    cycle = Cycle.objects.get(pk=world.own[1].cycle)
    answered = cycle.edition.criteria.get(code="V1.1")
    level = cycle.edition.levels.order_by("value").last()
    return wizard_post(client, cycle, "V1", {answered: (level, [Evidence.objects.get(pk=evidence_pk)])})


# case → (who sends it, what it names, how it is sent). Each is sent naming another cycle's thing,
# then one's own (which must act: the first request was refused for the right reason).
FORM_CASES = {
    "acknowledge another cycle's urgent concern": (
        ADMIN, "urgent concern", _post_to("findings", 0, lambda finding: {"acknowledge": str(finding.pk)})),
    "escalate another cycle's urgent concern": (
        ADMIN, "urgent concern", _post_to("findings", 0, lambda finding: {
            "escalate": str(finding.pk), f"escalation-{finding.pk}-reason": "They must know."})),
    "remove another visit's timetable item": (
        ADMIN, "visit", _post_to("visit", 1, lambda visit: {"remove_item": str(visit[0].pk)})),
    "remove another team's member": (
        ADMIN, "visit", _post_to("visit", 1, lambda visit: {"remove_member": str(visit[1].pk)})),
    "link another cycle's evidence to an answer": ("staff", "evidence", _answer_with_evidence),
}


@pytest.mark.parametrize("case", FORM_CASES)
def test_own_forms_refuse_another_cycles_things(browse, world, case):
    """One's own page, sent another cycle's finding, timetable item, team member or evidence in its
    form, changes nothing; sent one's own, it acts (so the first refusal is not for another reason)."""
    persona, kind, send = FORM_CASES[case]
    own_closed, own_next = (Cycle.objects.get(pk=side.cycle) for side in world.own)
    # Another service's cycle still at its start (Elm House's is final): its visit can still change.
    early = CycleFactory(edition=own_closed.edition)
    theirs, mine = {
        "urgent concern": lambda: (_urgent(world.foreign.cycle), _urgent(own_closed.pk)),
        "visit": lambda: (_visit_with_team(early), _visit_with_team(own_next)),
        "evidence": lambda: (world.foreign.evidence, world.own[1].evidence),
    }[kind]()
    sign_in(browse, persona, world.personas)

    before = snapshot()
    refused = send(browse, world, theirs)
    after = snapshot()
    acted = send(browse, world, mine)

    assert refused.status_code != 500
    assert changes(before, after) == [], f"{case}: {refused.status_code}"
    assert changes(after, snapshot()) != [], f"{case}: with one's own thing the form did nothing ({acted.status_code})"
