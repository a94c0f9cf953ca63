"""The peer review in real Chromium: a reviewer rates with the keyboard alone and submits, the lead
reviewer agrees the ratings, and every page of the peer review is accessible and reflows."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assurance.models import RoleKind
from reviews.cycles.services import open_cycle
from reviews.members.models import Channel
from reviews.models import (
    Action,
    AgreedRating,
    CycleState,
    FindingKind,
    PeerRating,
    Perspective,
    SelfRating,
    TeamRole,
    TimetableKind,
)
from reviews.peer.demo import Review
from reviews.peer.services import (
    PeerAnswer,
    add_finding,
    add_team_member,
    add_timetable_item,
    declare_conflict,
    plan_visit,
    save_peer_ratings,
    start_peer_review,
    submit_peer_ratings,
)
from standards.models import RatingLevel
from tests.e2e.conftest import axe_violations
from tests.e2e.test_self_assessment import choose, focused_matches, press_on, tab_to
from tests.factories import MemberResponseFactory, RoleFactory, ServiceFactory, UserFactory, build_edition
from tests.support.reviews import criterion

pytestmark = pytest.mark.browser

COMMENT = "Members described the community meeting in their own words."
ABSTAIN_REASON = "I did not meet the members on the day."
RATIONALE = "Day staff do this well; members told us nights are different, so partly met."
SAVE_AND_NEXT = 'button[name="save_and_next"]'
MESSAGE = ".notice--success[role=status]"  # a flash message, not the page's own notices
MEMBERS_RATIONALE = "Members told us it depends on who is on shift."
AGREE_BUTTON = "form.panel button[type=submit]:not([name])"


def levels(edition):
    """Not met, Partly met, Met."""
    return list(RatingLevel.objects.filter(edition=edition).order_by("value"))


@pytest.fixture
def cycle(personas):
    """Kestrel Wing's peer review under way on a small edition (V1.1 and V2.1 rated by staff,
    V1.2 and V2.2 by members). The lived-experience and lead reviewers have rated and submitted:

    V1.1  staff Met           reviewers Met, Met                    no flags
    V1.2  members' meeting: Sometimes (Partly met)  reviewers Partly met, Partly met      no flags
    V2.1  staff Met           reviewers Partly met, Met             (Sam's Not met makes them disagree)
    V2.2  six members: Yes (Met)  reviewers Partly met, Partly met      members differ
    """
    edition = build_edition(values=2, criteria_per_value=2)
    not_met, partly, met = levels(edition)
    cycle = open_cycle(service=personas.home, edition=edition, opened_by=personas.admin)
    for code, level in (("V1.1", met), ("V2.1", met)):
        SelfRating.objects.create(
            cycle=cycle, criterion=criterion(cycle, code), perspective=Perspective.STAFF, level=level,
            narrative="The minutes show it.", version=1, updated_by=personas.lead,
        )
    # The members: a members' meeting said Sometimes to V1.2 (Partly met); six members said Yes to V2.2 (Met).
    MemberResponseFactory(cycle=cycle, channel=Channel.GROUP, group_size=9, answers={criterion(cycle, "V1.2"): "sometimes"})
    for _n in range(6):
        MemberResponseFactory(cycle=cycle, answers={criterion(cycle, "V2.2"): "yes"})
    cycle.state = CycleState.SELF_ASSESSMENT_SUBMITTED
    cycle.submitted_at, cycle.submitted_by = timezone.now(), personas.lead
    cycle.save(update_fields=["state", "submitted_at", "submitted_by"])
    visit = plan_visit(cycle, date=timezone.localdate(), notes="Meet at reception at 9.15.", planned_by=personas.admin)
    add_timetable_item(visit, starts_at=datetime.time(9, 30), ends_at=datetime.time(10, 30),
                       kind=TimetableKind.COMMUNITY, details="Sit in on the community meeting")
    team = {
        user: add_team_member(cycle, user=user, place=place, added_by=personas.admin)
        for user, place in (
            (personas.reviewer, TeamRole.PEER_REVIEWER),
            (personas.lived_experience_reviewer, TeamRole.LIVED_EXPERIENCE_REVIEWER),
            (personas.lead_reviewer, TeamRole.LEAD_REVIEWER),
        )
    }
    start_peer_review(cycle, started_by=personas.admin)
    for user, rated in (
        (personas.lived_experience_reviewer, {"V1.1": met, "V1.2": partly, "V2.1": partly, "V2.2": partly}),
        (personas.lead_reviewer, {"V1.1": met, "V1.2": partly, "V2.1": met, "V2.2": partly}),
    ):
        save_peer_ratings(team[user], [
            PeerAnswer(criterion(cycle, code).pk, level_id=level.pk, comment=f"{user.first_name} saw it.")
            for code, level in rated.items()
        ])
        submit_peer_ratings(team[user])
    assert not_met.pk not in {r.level_id for r in PeerRating.objects.all()}
    cycle.refresh_from_db()
    return cycle


def urls(live_server, cycle):
    base = f"{live_server.url}/cycles/{cycle.pk}"
    return {
        "cycle": f"{base}/",
        "visit": f"{base}/visit/",
        "review": f"{base}/review/",
        "value": lambda code: f"{base}/review/{code}/",
        "grid": f"{base}/agree/",
        "flagged grid": f"{base}/agree/?flagged=1",
        "agree": lambda code, flagged=False: f"{base}/agree/{code}/" + ("?flagged=1" if flagged else ""),
        "findings": f"{base}/findings/",
        "action": lambda pk: f"{base}/actions/{pk}/",
        "accuracy": f"{base}/accuracy/",
        "decision": f"{base}/decision/",
        "feedback": f"{base}/feedback/",
        "conflicts": f"{live_server.url}/cycles/conflicts-of-interest/",
    }


def at(address):
    """The address, with or without a #fragment: after following an error summary's link to a
    field, the browser keeps that fragment through the redirects that follow."""
    return re.compile(re.escape(address) + "(#.*)?$")


def sign_in_as(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(user)


def test_reviewer_rates_with_keyboard_alone_and_lead_agrees(sign_in, page, live_server, personas, cycle, console_errors):
    """One reviewer's and one lead's whole day in the browser, by keyboard. It is long because it
    follows them step by step, as a person would, with the page checked at each step."""
    url = urls(live_server, cycle)
    v11, v12, v21, v22 = (criterion(cycle, code) for code in ("V1.1", "V1.2", "V2.1", "V2.2"))
    not_met, partly, met = levels(cycle.edition)

    # The peer reviewer rates every criterion on their own, with the keyboard alone.
    sign_in(personas.reviewer)
    page.goto(url["review"])
    expect(page.locator(".progress-panel")).to_contain_text("0 of 4 criteria rated.")
    press_on(page, 'a[href$="/review/V1/"]', url=at(url["value"]("V1")))
    expect(page.locator("main")).not_to_contain_text("Other reviewers")  # independent until submitted
    choose(page, f"c{v11.pk}_level", moves=0)  # Met
    expect(page.locator(f"#id_c{v11.pk}_level_0")).to_be_checked()
    tab_to(page, f"#id_c{v11.pk}_comment")
    page.keyboard.type(COMMENT)
    choose(page, f"c{v12.pk}_level", moves=4)  # Met, Partly met, Not met, Not applicable, Abstain
    expect(page.locator(f"#id_c{v12.pk}_level_4")).to_be_checked()
    press_on(page, SAVE_AND_NEXT)  # abstaining without saying why
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(f"Say why you abstain on {v12.code}.")
    expect(summary).to_be_focused()
    expect(page.locator(f"#id_c{v12.pk}_level_4")).to_be_checked()  # nothing chosen or typed is lost
    expect(page.locator(f"#id_c{v11.pk}_level_0")).to_be_checked()
    expect(page.locator(f"#id_c{v11.pk}_comment")).to_have_value(COMMENT)
    assert not PeerRating.objects.filter(team_member__user=personas.reviewer).exists()
    tab_to(page, f'.error-summary a[href="#id_c{v12.pk}_abstain_reason"]')
    page.keyboard.press("Enter")
    assert focused_matches(page, f"#id_c{v12.pk}_abstain_reason")
    page.keyboard.type(ABSTAIN_REASON)
    press_on(page, SAVE_AND_NEXT, url=at(url["value"]("V2")))

    choose(page, f"c{v21.pk}_level", moves=2)  # Not met
    expect(page.locator(f"#id_c{v21.pk}_level_2")).to_be_checked()
    choose(page, f"c{v22.pk}_level", moves=3)  # Not applicable
    expect(page.locator(f"#id_c{v22.pk}_level_3")).to_be_checked()
    press_on(page, SAVE_AND_NEXT, key="Space", url=at(url["review"]))  # the last value: "Save and finish"
    expect(page.locator(MESSAGE)).to_contain_text("That was the last value")
    expect(page.locator(".progress-panel")).to_contain_text("4 of 4 criteria rated.")

    press_on(page, 'button[name="submit"]', url=at(url["review"]))
    expect(page.locator(MESSAGE)).to_contain_text("Your ratings are submitted and locked")
    stored = {
        r.criterion.code: (r.level_id, r.not_applicable, r.abstained, r.abstain_reason, r.comment)
        for r in PeerRating.objects.filter(team_member__user=personas.reviewer).select_related("criterion")
    }
    assert stored == {
        "V1.1": (met.pk, False, False, "", COMMENT),
        "V1.2": (None, False, True, ABSTAIN_REASON, ""),
        "V2.1": (not_met.pk, False, False, "", ""),
        "V2.2": (None, True, False, "", ""),
    }

    # Now the other reviewers' ratings show, and the reviewer's own can no longer change.
    press_on(page, 'a[href$="/review/V2/"]', url=at(url["value"]("V2")))
    others = page.locator("#criterion-V2\\.1 ul").last
    expect(others).to_contain_text(f"{personas.lived_experience_reviewer}: Partly met")
    expect(others).to_contain_text(f"{personas.lead_reviewer}: Met")
    expect(page.locator(f"#id_c{v21.pk}_level_2")).to_be_disabled()
    expect(page.locator(SAVE_AND_NEXT)).to_have_count(0)

    # The lead reviewer agrees the flagged criteria first.
    sign_in_as(page, sign_in, personas.lead_reviewer)
    page.goto(url["grid"])
    expect(page.locator(".panel").first).to_contain_text("2 criteria are flagged.")
    press_on(page, 'a[href$="/agree/?flagged=1"]', url=at(url["flagged grid"]))
    assert page.locator("table.grid tbody th[scope=row] a").all_inner_texts() == ["V2.1", "V2.2"]
    row = page.locator("table.grid tbody tr").filter(has=page.locator('a:text-is("V2.1")'))
    # Agreed, staff, members, then the lead, the lived-experience reviewer and Sam, each in their own column.
    assert [cell.strip() for cell in row.locator("td").all_inner_texts()][:6] == [
        "Not yet", "Met", "Not asked", "Met", "Partly met", "Not met"
    ]
    expect(row).to_contain_text("Reviewers disagree")
    expect(row).to_contain_text("Self differs")
    press_on(page, 'a[href$="/agree/V2.1/?flagged=1"]', url=at(url["agree"]("V2.1", flagged=True)))
    expect(page.locator("main")).to_contain_text("Reviewers disagree")

    # Partly met is the reviewers' median but differs from staff's Met: a rationale is needed.
    choose(page, "level", moves=1)  # Met, then down to Partly met
    expect(page.locator("#id_level_1")).to_be_checked()
    press_on(page, AGREE_BUTTON)
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(
        "Give a rationale: the agreed rating differs from the service's own rating (Met)."
    )
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.locator("#id_level_1")).to_be_checked()  # what was chosen is kept
    assert AgreedRating.objects.count() == 0
    assert axe_violations(page) == []
    tab_to(page, "#id_rationale")
    page.keyboard.type(RATIONALE)
    press_on(page, AGREE_BUTTON, url=at(url["agree"]("V2.2", flagged=True)))  # on to the next flagged one
    expect(page.locator(MESSAGE)).to_contain_text("Agreed rating for V2.1 saved.")

    # Only members are asked this one, and six of six said Yes (Met): their view is the service's own,
    # so agreeing Partly met needs a rationale too.
    choose(page, "level", moves=1)  # Partly met
    tab_to(page, "#id_rationale")
    page.keyboard.type(MEMBERS_RATIONALE)
    press_on(page, AGREE_BUTTON, url=at(url["flagged grid"]))
    expect(page.locator(".panel").first).to_contain_text("2 of 4 criteria have an agreed rating.")

    # Then the rest, unfiltered.
    press_on(page, 'a[href$="/agree/"]', url=at(url["grid"]))
    press_on(page, 'a[href$="/agree/V1.1/"]', url=at(url["agree"]("V1.1")))
    choose(page, "level", moves=0)  # Met, as staff said: no rationale needed
    press_on(page, AGREE_BUTTON, url=at(url["agree"]("V1.2")))
    choose(page, "level", moves=1)  # Partly met
    press_on(page, AGREE_BUTTON, url=at(url["grid"]))
    expect(page.locator(".panel").first).to_contain_text("4 of 4 criteria have an agreed rating.")
    press_on(page, 'button[name="finish"]', url=at(url["cycle"]))
    expect(page.locator(MESSAGE)).to_contain_text("The ratings are agreed")

    cycle.refresh_from_db()
    assert cycle.state == CycleState.RATINGS_AGREED
    agreed = {
        a.criterion.code: (a.level_id, a.not_applicable, a.rationale, a.agreed_by)
        for a in AgreedRating.objects.select_related("criterion")
    }
    lead = personas.lead_reviewer
    assert agreed == {
        "V1.1": (met.pk, False, "", lead),
        "V1.2": (partly.pk, False, "", lead),
        "V2.1": (partly.pk, False, RATIONALE, lead),
        "V2.2": (partly.pk, False, MEMBERS_RATIONALE, lead),
    }
    # The two rejected forms come back as 400 Bad Request, which Chromium logs; nothing else.
    assert console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"] * 2


@pytest.fixture
def later(personas):
    """Elm House's review on a small edition, built by the demo up to the draft report: findings,
    an overdue action, one accuracy comment answered and one waiting; then an urgent concern."""
    service_lead = UserFactory(username="elmlead")
    RoleFactory(user=service_lead, kind=RoleKind.SERVICE_LEAD, service=personas.other)
    team = [
        (personas.reviewer, TeamRole.PEER_REVIEWER),
        (personas.lived_experience_reviewer, TeamRole.LIVED_EXPERIENCE_REVIEWER),
        (personas.lead_reviewer, TeamRole.LEAD_REVIEWER),
    ]
    review = Review(personas.other, build_edition(values=2, criteria_per_value=2), team, {}, personas.admin, seed=3)
    cycle = review.run_to(CycleState.REPORT_DRAFT)
    add_finding(cycle, kind=FindingKind.URGENT, text="A fire door on the first floor is propped open at night.",
                criterion=None, added_by=personas.lead_reviewer)
    overdue = Action.objects.filter(cycle=cycle, due_date__lt=timezone.localdate()).get()
    assert cycle.accuracy_comments.filter(responded_at__isnull=True).count() == 1
    return cycle, service_lead, overdue


@pytest.fixture
def candidates(personas):
    """Two more reviewers the administrator could add to Kestrel Wing's team."""
    birch = ServiceFactory(name="Birch Court")
    for username, kind in (("alex", RoleKind.PEER_REVIEWER), ("robin", RoleKind.LEAD_REVIEWER)):
        RoleFactory(user=UserFactory(username=username), kind=kind, service=birch)
    return birch


def test_peer_review_pages_have_no_accessibility_violations(
    sign_in, page, live_server, personas, cycle, later, candidates, console_errors
):
    url = urls(live_server, cycle)
    later_cycle, later_service_lead, overdue = later
    later_url = urls(live_server, later_cycle)
    sam = cycle.visit.team.get(user=personas.reviewer)
    met = levels(cycle.edition)[-1]
    save_peer_ratings(sam, [PeerAnswer(criterion(cycle, "V1.1").pk, level_id=met.pk, comment=COMMENT),
                            PeerAnswer(criterion(cycle, "V1.2").pk, abstained=True, abstain_reason=ABSTAIN_REASON)])
    declare_conflict(user=personas.reviewer, service=candidates, reason="I worked there until last year.")
    problems = {}

    def check(name, address, *expected):
        page.goto(address)
        assert page.locator("h1").count() == 1, name
        for text in expected:
            expect(page.locator("main")).to_contain_text(text)
        found = axe_violations(page)
        if found:
            problems[name] = found

    sign_in(personas.admin)
    check("visit page", url["visit"], "Suggested reviewers", "Sit in on the community meeting")
    expect(page.locator("main")).to_contain_text(str(candidates.roles.get(user__username="alex").user))
    check("decision", later_url["decision"], "What the agreed ratings say")
    check("findings (administrator)", later_url["findings"], "Urgent concerns (1)", "Acknowledge")

    sign_in_as(page, sign_in, personas.lead_reviewer)
    check("grid", url["grid"], "Finish agreeing ratings")
    check("agree page", url["agree"]("V2.2"), "Members differ from peers")
    check("findings", later_url["findings"], "Urgent concerns (1)", "Overdue", "Record a finding")
    check("action page", later_url["action"](overdue.pk), "Overdue", "Record progress")
    check("accuracy", later_url["accuracy"], "Save the answer")

    sign_in_as(page, sign_in, personas.reviewer)
    check("review page", url["review"], "2 of 4 criteria rated.")
    check("review value page", url["value"]("V1"), "Members say", "Save and go on to Value 2")
    check("conflicts page", url["conflicts"], "Birch Court")

    sign_in_as(page, sign_in, later_service_lead)
    check("feedback", later_url["feedback"], "Send feedback")

    assert problems == {}
    assert console_errors == []


@pytest.mark.parametrize(
    "who, page_name, scrolls",
    [("lead_reviewer", "grid", True), ("reviewer", "review value page", False)],
)
def test_peer_review_pages_reflow_at_320_pixels(sign_in, page, live_server, personas, cycle, who, page_name, scrolls):
    url = urls(live_server, cycle)
    sign_in(getattr(personas, who))
    page.set_viewport_size({"width": 320, "height": 256})  # 1280 × 1024 at 400 %

    page.goto(url["grid"] if page_name == "grid" else url["value"]("V2"))

    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    # What cannot reflow (the grid's columns) scrolls inside its table wrapper, not the page.
    wrappers = page.eval_on_selector_all(".table-wrap", "els => els.map(e => [e.scrollWidth, e.clientWidth])")
    assert all(client <= 320 for _width, client in wrappers)
    assert any(width > client for width, client in wrappers) == scrolls
    assert axe_violations(page) == []  # including: a region that scrolls can be reached by keyboard
