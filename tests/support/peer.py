"""Driving the peer review's pages the way a reviewer's browser does, and reading back what the
database holds for a reviewer."""

from django.urls import reverse

from reviews.models import CycleState, PeerRating, TeamMember
from tests.support.reviews import ABSTAIN, NA, PeerReview, criterion, level


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


# --- the visit page ---------------------------------------------------------------------------


def submitted_review(personas):
    """The home service's review, its self-assessment submitted: ready for a visit and a team."""
    return PeerReview(personas).submit_self_assessment()


def agreed_review(personas, stage=CycleState.RATINGS_AGREED):
    """The home service's review run on to `stage` (ratings agreed unless told otherwise)."""
    return PeerReview(personas).to(stage)


def post_visit(client, review, follow=True, **data):
    """Sends the visit page's form with these fields."""
    return client.post(review.url("visit"), data, follow=follow)


def team_of(review):
    """{(username, place)} of everyone on the review's team."""
    return {(m.user.username, m.role) for m in TeamMember.objects.filter(visit__cycle=review.cycle).select_related("user")}


def add_to_team(client, review, person, place):
    return post_visit(client, review, add_member="1", user=str(person.pk), place=place)
