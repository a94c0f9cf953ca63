"""Factories and helpers for the peer review: ratings, findings and actions, a review moved from
stage to stage by the same services people use, and pages read the way a person reads them."""

import datetime
import re

import factory
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import (
    AccuracyComment,
    Action,
    AgreedRating,
    Cycle,
    CycleEvent,
    CycleState,
    DecisionOutcome,
    Finding,
    FindingKind,
    PeerRating,
    Perspective,
    SelfRating,
    TeamMember,
    TeamRole,
)
from reviews.peer.services import (
    PeerAnswer,
    add_action,
    add_finding,
    add_team_member,
    agree_rating,
    answer_accuracy_comment,
    close_cycle,
    comment_on_accuracy,
    finish_agreeing,
    record_decision,
    save_peer_ratings,
    send_draft_report,
    start_peer_review,
    submit_peer_ratings,
)
from standards.models import Criterion, RatingLevel
from tests.assurance.pages import _Text
from tests.factories import CycleFactory, RoleFactory, ServiceFactory, UserFactory
from tests.reviews.factories import TeamMemberFactory
from tests.reviews.wizard import home_cycle

NA = "na"
ABSTAIN = "abstain"
STAFF, MEMBERS = Perspective.STAFF, Perspective.MEMBERS

# Where each persona sits on the team of the home service's review.
TEAM = {
    "reviewer": TeamRole.PEER_REVIEWER,
    "lived_experience_reviewer": TeamRole.LIVED_EXPERIENCE_REVIEWER,
    "lead_reviewer": TeamRole.LEAD_REVIEWER,
}
STAGES = [
    CycleState.SELF_ASSESSMENT_SUBMITTED,
    CycleState.VISIT,
    CycleState.RATINGS_AGREED,
    CycleState.REPORT_DRAFT,
    CycleState.FINAL,
    CycleState.CLOSED,
]


# --- factories --------------------------------------------------------------------------------


class PeerRatingFactory(factory.django.DjangoModelFactory):
    """A reviewer's rating: the edition's top level unless told otherwise."""

    class Meta:
        model = PeerRating

    team_member = factory.SubFactory(TeamMemberFactory)
    criterion = factory.SubFactory(
        "tests.factories.CriterionFactory", value__edition=factory.SelfAttribute("...team_member.visit.cycle.edition")
    )
    level = factory.LazyAttribute(
        lambda o: None if (o.not_applicable or o.abstained) else o.criterion.edition.levels.order_by("value").last()
    )
    not_applicable = False
    abstained = False
    abstain_reason = factory.LazyAttribute(lambda o: "I did not see this on the day." if o.abstained else "")
    comment = "What we saw on the day."
    version = 1


class AgreedRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedRating

    cycle = factory.SubFactory(CycleFactory)
    criterion = factory.SubFactory(
        "tests.factories.CriterionFactory", value__edition=factory.SelfAttribute("...cycle.edition")
    )
    level = factory.LazyAttribute(
        lambda o: None if o.not_applicable else o.cycle.edition.levels.order_by("value").last()
    )
    not_applicable = False
    rationale = ""
    version = 1


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    cycle = factory.SubFactory(CycleFactory)
    kind = FindingKind.DEVELOPMENT
    text = factory.Sequence(lambda n: f"Finding number {n}: night staff are not yet part of reflective practice.")
    created_by = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    cycle = factory.SubFactory(CycleFactory)
    description = factory.Sequence(lambda n: f"Action number {n}: include night staff in reflective practice.")
    owner = "Deputy manager"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    created_by = factory.SubFactory(UserFactory)


class AccuracyCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccuracyComment

    cycle = factory.SubFactory(CycleFactory)
    finding = factory.SubFactory(FindingFactory, cycle=factory.SelfAttribute("..cycle"))
    text = factory.Sequence(lambda n: f"Comment number {n}: the buddy scheme has run since last spring.")
    by = factory.SubFactory(UserFactory)


def reviewer(username, kind=RoleKind.PEER_REVIEWER, service=None, **names):
    """A person with a reviewer role, their home service `service` (a new one unless given)."""
    user = UserFactory(username=username, **names)
    RoleFactory(user=user, kind=kind, service=service if service is not None else ServiceFactory())
    return user


# --- a review moved through its stages --------------------------------------------------------


def criterion(cycle, code):
    return Criterion.objects.get(edition=cycle.edition, code=code)


def level(cycle, label):
    return RatingLevel.objects.get(edition=cycle.edition, label=label)


class PeerReview:
    """The review of the personas' home service. Its team: personas.reviewer (peer reviewer),
    personas.lived_experience_reviewer and personas.lead_reviewer (lead). Every step goes
    through the domain services, so the review obeys the rules people do."""

    def __init__(self, personas, edition=None, **cycle_fields):
        self.personas = personas
        self.admin = personas.admin
        self.cycle = home_cycle(personas, edition=edition, **cycle_fields)
        self.levels = list(self.cycle.edition.levels.order_by("value"))

    # the self-assessment

    def self_rate(self, code, label, perspective=STAFF, **fields):
        """A stored self-assessment answer: a level's label or NA."""
        chosen = None if label == NA else level(self.cycle, label)
        return SelfRating.objects.create(
            cycle=self.cycle, criterion=criterion(self.cycle, code), perspective=perspective, level=chosen,
            not_applicable=label == NA, not_applicable_reason="It does not apply here." if label == NA else "",
            narrative=fields.pop("narrative", f"What shows {code}."), version=1,
            updated_by=self.personas.staff if perspective == STAFF else self.personas.member, **fields,
        )

    def submit_self_assessment(self):
        Cycle.objects.filter(pk=self.cycle.pk).update(
            state=CycleState.SELF_ASSESSMENT_SUBMITTED, submitted_at=timezone.now(), submitted_by=self.personas.lead
        )
        CycleEvent.objects.create(
            cycle=self.cycle, actor=self.personas.lead, from_state=CycleState.OPEN,
            to_state=CycleState.SELF_ASSESSMENT_SUBMITTED,
        )
        return self.refresh()

    # the team and the visit

    def build_team(self, **places):
        """Puts the personas on the team (names → place; the three reviewers by default)."""
        for name, place in (places or TEAM).items():
            add_team_member(self.cycle, user=getattr(self.personas, name), place=place, added_by=self.admin)
        return self

    def start(self):
        start_peer_review(self.cycle, started_by=self.admin)
        return self.refresh()

    def member(self, person):
        return TeamMember.objects.get(visit__cycle=self.cycle, user=person)

    # ratings

    def rate(self, person, ratings, submit=False):
        """ratings: code → a level's label, NA, or (ABSTAIN, reason)."""
        place = self.member(person)
        answers = []
        for code, choice in ratings.items():
            pk = criterion(self.cycle, code).pk
            if isinstance(choice, tuple):
                answers.append(PeerAnswer(pk, abstained=True, abstain_reason=choice[1], base_version=self._version(place, pk)))
            elif choice == NA:
                answers.append(PeerAnswer(pk, not_applicable=True, base_version=self._version(place, pk)))
            else:
                answers.append(PeerAnswer(pk, level_id=level(self.cycle, choice).pk, comment=f"{person} on {code}.",
                                          base_version=self._version(place, pk)))
        save_peer_ratings(place, answers)
        if submit:
            submit_peer_ratings(place)
        return place

    @staticmethod
    def _version(place, criterion_id):
        rating = PeerRating.objects.filter(team_member=place, criterion_id=criterion_id).first()
        return rating.version if rating else 0

    def rate_everything(self, person, label="Met", submit=True, **exceptions):
        codes = self.cycle.edition.criteria.order_by("value__order", "order").values_list("code", flat=True)
        ratings = {code: label for code in codes}
        ratings.update({code.replace("_", "."): choice for code, choice in exceptions.items()})
        return self.rate(person, ratings, submit=submit)

    def everyone_rates(self, label="Met"):
        for name in TEAM:
            if TeamMember.objects.filter(visit__cycle=self.cycle, user=getattr(self.personas, name)).exists():
                self.rate_everything(getattr(self.personas, name), label)
        return self

    # agreeing

    def agree(self, code, label, rationale="The team weighed every view."):
        existing = AgreedRating.objects.filter(cycle=self.cycle, criterion__code=code).first()
        return agree_rating(
            self.cycle, criterion=criterion(self.cycle, code), level=None if label == NA else level(self.cycle, label),
            not_applicable=label == NA, rationale=rationale, agreed_by=self.personas.lead_reviewer,
            base_version=existing.version if existing else 0,
        )

    def agree_everything(self, label="Met", **exceptions):
        labels = {code.replace("_", "."): choice for code, choice in exceptions.items()}
        for code in self.cycle.edition.criteria.order_by("value__order", "order").values_list("code", flat=True):
            self.agree(code, labels.get(code, label))
        return self

    def finish(self):
        finish_agreeing(self.cycle, finished_by=self.personas.lead_reviewer)
        return self.refresh()

    # findings, actions and the report

    def finding(self, kind=FindingKind.DEVELOPMENT, text="Night staff are not yet part of reflective practice.",
                code=None):
        return add_finding(self.cycle, kind=kind, text=text, criterion=criterion(self.cycle, code) if code else None,
                           added_by=self.personas.lead_reviewer)

    def action(self, description="Include night staff in reflective practice.", owner="Deputy manager",
               due_date=None, finding=None, code=None):
        return add_action(
            self.cycle, description=description, owner=owner,
            due_date=due_date or timezone.localdate() + datetime.timedelta(days=30), finding=finding,
            criterion=criterion(self.cycle, code) if code else None, added_by=self.personas.lead_reviewer,
        )

    def send_draft(self):
        send_draft_report(self.cycle, sent_by=self.personas.lead_reviewer)
        return self.refresh()

    def comment(self, text="The report says the buddy scheme is new; it has run since last spring.", code=None,
                finding=None):
        return comment_on_accuracy(self.cycle, text=text, criterion=criterion(self.cycle, code) if code else None,
                                   finding=finding, by=self.personas.lead)

    def answer(self, comment, response="Checked, and corrected."):
        return answer_accuracy_comment(comment, response=response, by=self.personas.lead_reviewer)

    def decide(self, outcome=DecisionOutcome.AWARDED, rationale="The agreed ratings meet the award rule."):
        decision = record_decision(self.cycle, outcome=outcome, rationale=rationale, valid_until=None,
                                   recorded_by=self.admin)
        self.refresh()
        return decision

    def close(self):
        close_cycle(self.cycle, closed_by=self.admin)
        return self.refresh()

    def to(self, stage):
        """Runs the review on to `stage` the usual way: everyone rates everything Met, the lead agrees
        Met throughout, a finding and an action are recorded, the draft goes out, the decision is
        recorded, the cycle closes."""
        steps = {
            CycleState.SELF_ASSESSMENT_SUBMITTED: self.submit_self_assessment,
            CycleState.VISIT: lambda: self.build_team().start(),
            CycleState.RATINGS_AGREED: lambda: self.everyone_rates().agree_everything().finish(),
            CycleState.REPORT_DRAFT: self.send_draft,
            CycleState.FINAL: self.decide,
            CycleState.CLOSED: self.close,
        }
        for state in STAGES[STAGES.index(self.cycle.state) + 1 if self.cycle.state in STAGES else 0:
                            STAGES.index(stage) + 1]:
            steps[state]()
        return self.refresh()

    def refresh(self):
        self.cycle.refresh_from_db()
        return self

    # addresses

    def url(self, name, *args):
        """The address of one of the cycle's pages; the report's pages are under `reports:`."""
        namespace = "reports" if name.startswith(("report", "cycle-export")) else "reviews"
        return reverse(f"{namespace}:{name}", args=[self.cycle.pk, *args])


# --- reading pages ----------------------------------------------------------------------------


def _words(html):
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def table(response, caption):
    """The words of each body row of the table with this caption ([] if there is none)."""
    html = response.content.decode()
    start = html.find(f">{caption}</caption>")
    if start == -1:
        return []
    body = html[html.find("<tbody>", start):html.find("</tbody>", start)]
    return [_words(part) for part in re.split(r"<tr[^>]*>", body)[1:]]


def messages_on(response):
    """The notices shown at the top of the page."""
    return [str(message) for message in response.context["messages"]] if response.context else []


class ValuePage:
    """A reviewer's page for one value, opened in a browser: it sends back what the page holds,
    version fields included, with the choices made on it."""

    def __init__(self, client, cycle, value_code):
        self.client, self.cycle = client, cycle
        self.url = reverse("reviews:review-value", args=[cycle.pk, value_code])
        self.response = client.get(self.url)
        assert self.response.status_code == 200, self.response
        form = self.response.context["form"]
        self.data = {}
        for name in form.fields:
            value = form[name].value()
            if value in (None, ""):
                if name.endswith("_level"):
                    continue  # no choice made: the browser sends nothing
                value = ""
            self.data[name] = value

    def rate(self, code, choice, comment=None, reason=None):
        """choice: a level's label, NA, ABSTAIN, or "" to clear it."""
        pk = criterion(self.cycle, code).pk
        self.data[f"c{pk}_level"] = choice if choice in ("", NA, ABSTAIN) else str(level(self.cycle, choice).pk)
        if comment is not None:
            self.data[f"c{pk}_comment"] = comment
        if reason is not None:
            self.data[f"c{pk}_abstain_reason"] = reason
        return self

    def post(self, button="save", follow=True):
        self.response = self.client.post(self.url, {**self.data, button: ""}, follow=follow)
        return self.response


def stored_ratings(member):
    """What the database holds for a reviewer: {code: (level label, "N/A" or "Abstained: reason"; comment)}."""
    ratings = PeerRating.objects.filter(team_member=member).select_related("criterion", "level")
    return {
        r.criterion.code: (
            r.level.label if r.level_id else ("N/A" if r.not_applicable else f"Abstained: {r.abstain_reason}"),
            r.comment,
        )
        for r in ratings
    }
