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


import itertools
import logging
from dataclasses import replace

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import reverse

from reviews.models import (
    Cycle,
    Evidence,
    Finding,
    FindingKind,
)
from tests.factories import (
    CycleFactory,
    FindingFactory,
    TeamMemberFactory,
    TimetableItemFactory,
    VisitFactory,
)
from tests.support.access_pages import (
    ADMIN,
    ANONYMOUS,
    EVERYONE,
    KNOWN,
    METHODS,
    SIGN_IN,
    Side,
    out_of_reach_requests,
    pages,
    requests_for,
)
from tests.support.access_world import (
    ELM,
    NAMES_EVERY_SERVICE,
    Checks,
    ask,
    build_world,
    changes,
    sent_to_sign_in,
    sign_in,
    snapshot,
)
from tests.support.evidence import wizard_post
from tests.support.personas import reviewer


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
    commissioner, its reviewer or its member) with something other than a 404: the 404s below are refusals."""
    sent = out_of_reach_requests(world.foreign, world.mixed, pages())
    people = {name: getattr(world.elm, name) for name in ("admin", "commissioner", "reviewer", "member")}
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
