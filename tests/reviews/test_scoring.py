"""The arithmetic of peer review: spreads, flags and the decision, on plain values."""

from reviews.scoring import (
    CriterionResult,
    MembersRule,
    MemberTally,
    Rule,
    compute_decision,
    flags,
    group_level,
    members_level,
    spread,
)

RULE = Rule(tier_thresholds={1: 100, 2: 80, 3: 60}, green_from=80, amber_from=50, top_level=2, bottom_level=0)
MET, PARTLY, NOT_MET, NA = 2, 1, 0, None


def result(code, level, tier=2, value="V1", rated=True):
    return CriterionResult(code=code, value_code=value, tier=tier, level=level, rated=rated)


def test_spread_gives_median_range_and_count_leaving_out_abstentions():
    summary = spread([2, None, 0, 1, 2])
    assert (summary.count, summary.median, summary.low, summary.high, summary.range) == (4, 1.5, 0, 2, 2)


def test_spread_of_no_ratings_is_empty():
    summary = spread([None, None])
    assert (summary.count, summary.median, summary.range) == (0, None, None)


def test_flags_reviewers_two_levels_apart_disagree():
    assert flags(spread([0, 2])).reviewers_disagree
    assert not flags(spread([1, 2])).reviewers_disagree


def test_flags_self_rating_one_level_from_the_peers_median_differs():
    peers = spread([1, 1, 2])
    assert flags(peers, self_level=2).self_and_peers_differ
    assert not flags(peers, self_level=1).self_and_peers_differ
    assert flags(peers, member_level=0).members_and_peers_differ
    assert not flags(peers, self_level=None).any


def test_decision_excludes_not_applicable_and_reports_partly_met_separately():
    decision = compute_decision(
        [result("A", MET), result("B", MET), result("C", PARTLY), result("D", NOT_MET), result("E", NA)],
        RULE,
        {"V1": "Belonging"},
    )
    overall = decision.overall
    assert (overall.met, overall.partly, overall.not_met, overall.not_applicable) == (2, 1, 1, 1)
    assert overall.percent_met == 50.0
    assert overall.percent_partly == 25.0


def test_value_is_green_amber_or_red_by_the_cut_offs():
    def rag(levels):
        return compute_decision([result(f"C{i}", lv) for i, lv in enumerate(levels)], RULE, {"V1": "V"}).values[0].rag

    assert rag([MET] * 4 + [NOT_MET]) == "green"  # 80 %
    assert rag([MET, MET, NOT_MET, NOT_MET]) == "amber"  # 50 %
    assert rag([MET, NOT_MET, NOT_MET]) == "red"  # 33 %


def test_any_unmet_tier_one_criterion_makes_its_value_red():
    decision = compute_decision(
        [result(f"C{i}", MET) for i in range(9)] + [result("T1", PARTLY, tier=1)], RULE, {"V1": "V"}
    )
    value = decision.values[0]
    assert value.tally.percent_met == 90.0
    assert value.rag == "red"
    assert "T1" in value.rag_reason


def test_award_recommended_only_when_every_tier_reaches_its_threshold():
    passing = [result("E1", MET, tier=1), result("X1", MET), result("X2", MET), result("X3", MET),
               result("X4", MET), result("X5", NOT_MET), result("D1", MET, tier=3), result("D2", NOT_MET, tier=3)]
    assert compute_decision(passing, RULE, {"V1": "V"}).recommended is False  # tier 3 at 50 % < 60 %
    passing[-1] = result("D2", MET, tier=3)
    decision = compute_decision(passing, RULE, {"V1": "V"})
    assert [t.tally.percent_met for t in decision.tiers] == [100.0, 80.0, 100.0]
    assert decision.recommended is True


def test_award_not_recommended_while_criteria_are_still_unrated():
    decision = compute_decision([result("A", MET), result("B", None, rated=False)], RULE, {"V1": "V"})
    assert decision.complete is False
    assert decision.recommended is False


# --- the members' voice --------------------------------------------------------------------------

MEMBERS = MembersRule(minimum=5, met_from=75, partly_from=50)
LEVELS = [0, 1, 2]


def tally(yes=0, sometimes=0, no=0, dont_know=0):
    return MemberTally(yes=yes, sometimes=sometimes, no=no, dont_know=dont_know, minimum=MEMBERS.minimum)


def test_a_tally_is_shown_only_from_the_minimum_of_answers_that_say_something():
    assert not tally(yes=4, dont_know=10).shown
    assert tally(yes=4, no=1).shown


def test_shares_are_of_yes_sometimes_and_no_and_absent_below_the_minimum():
    counted = tally(yes=3, sometimes=1, no=1, dont_know=7)
    assert (counted.share("yes"), counted.share("sometimes"), counted.share("no")) == (60.0, 20.0, 20.0)
    assert tally(yes=4).share("yes") is None


def test_members_level_follows_the_editions_rule():
    assert members_level(tally(yes=3, sometimes=1), MEMBERS, LEVELS) is None  # too few to say
    assert members_level(tally(yes=6, no=2), MEMBERS, LEVELS) == MET  # 75% yes
    assert members_level(tally(yes=5, no=3), MEMBERS, LEVELS) == PARTLY  # 62.5% yes
    assert members_level(tally(yes=2, sometimes=2, no=4), MEMBERS, LEVELS) == PARTLY  # half yes or sometimes
    assert members_level(tally(yes=1, sometimes=2, no=5), MEMBERS, LEVELS) == NOT_MET


def test_with_two_levels_partly_met_falls_to_the_lowest():
    assert members_level(tally(yes=2, sometimes=4), MEMBERS, [0, 1]) == 0


def test_a_meetings_shared_answer_as_a_level():
    assert [group_level(answer, LEVELS) for answer in ("yes", "sometimes", "no", "dont_know")] == [MET, PARTLY, NOT_MET, None]
