from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The review models whose changes go into the audit log: (model, fields left out, many-to-many
# fields logged too). Versions, timestamps and a report's progress would only add noise.
AUDITED = [
    ("Cycle", [], []),
    ("CycleEvent", [], []),
    ("SelfRating", ["version", "updated_at"], ["evidence"]),
    ("Evidence", [], []),
    ("PeerRating", ["version", "updated_at"], []),
    ("AgreedRating", ["version", "agreed_at"], []),
    ("Finding", [], []),
    ("Action", ["updated_at"], []),
    ("ActionNote", [], []),
    ("AccuracyComment", [], []),
    ("Decision", [], []),
    ("VisitFeedback", [], []),
    ("ConflictOfInterest", [], []),
    ("TimetableItem", [], []),
    ("Report", ["progress", "stage", "seen_by_requester"], []),
    ("Visit", [], []),
    # Of the members' voice, only what staff and reviewers do is logged: a member's response,
    # answers and participation never are (the log would link them to the person).
    ("QuestionnaireSession", [], []),
    ("MemberQuote", [], []),
    ("TeamMember", [], []),
    ("VisitInvitation", [], []),
    ("ProposedDate", [], []),
    ("DateAvailability", ["answered_at"], []),
    ("RatingChange", [], []),
    ("Recommendation", [], []),
    ("RatificationVote", [], []),
    ("FollowUp", [], ["criteria"]),
    ("FollowUpAnswer", ["version", "updated_at"], ["evidence"]),
    ("FollowUpRating", ["version", "rated_at"], []),
    ("Appeal", [], ["panel"]),
    ("InterimReview", ["version"], []),
]


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        # Imports here, not at the top: Django runs ready() once every model is loaded, and the
        # modules below need the models. Each stage's rules register themselves when imported:
        # import them all, whichever page asks first.
        import reviews.cycles.rules
        import reviews.decisions.rules
        import reviews.members.rules
        import reviews.peer.rules
        import reviews.reports.rules
        import reviews.selfassessment.rules  # noqa: F401
        from assurance.audit import audit, hide_values
        from reviews.peer.queries import drafts_among

        for model_name, excluded, many_to_many in AUDITED:
            audit(self.get_model(model_name), exclude=excluded, m2m=many_to_many)
        # A reviewer's draft ratings are their own until submitted, in the audit log as elsewhere.
        hide_values(self.get_model("PeerRating"), drafts_among)
        self._connect_stages()
        self._register_panels()
        from assurance.demo import register_demo_seeder
        from reviews.demo import seed_demo_reviews

        register_demo_seeder(seed_demo_reviews)

    def _connect_stages(self):
        from reviews.cycles.services import cycle_opened
        from reviews.decisions.signals import decision_changed
        from reviews.peer.services.outcomes import carry_open_actions_on_opening
        from reviews.reports.services import issue_on_decision

        cycle_opened.connect(carry_open_actions_on_opening, dispatch_uid="carry-open-actions")
        self._connect_visit_notices()
        self._connect_urgent_concern_notices()
        decision_changed.connect(issue_on_decision, dispatch_uid="issue-report-on-decision")

    def _connect_visit_notices(self):
        from reviews.notices import invitations as notices
        from reviews.peer import signals

        signals.visit_invitations_sent.connect(notices.on_invitations_sent, dispatch_uid="email-visit-invitations")
        signals.visit_dates_proposed.connect(notices.on_dates_proposed, dispatch_uid="email-proposed-visit-dates")
        signals.visit_date_agreed.connect(notices.on_date_agreed, dispatch_uid="email-agreed-visit-date")

    def _connect_urgent_concern_notices(self):
        from reviews.notices import urgent
        from reviews.peer import signals

        signals.urgent_concern_recorded.connect(urgent.on_urgent_concern_recorded, dispatch_uid="email-urgent-concern")
        signals.urgent_concern_escalated.connect(urgent.on_urgent_concern_escalated,
                                                 dispatch_uid="email-escalated-urgent-concern")

    def _register_panels(self):
        from assurance import waiting
        from assurance.panels import register
        from reviews.cycles import panels as cycle_panels
        from reviews.cycles.page import CYCLE_PAGE
        from reviews.decisions import appeal_panels, follow_up_panels
        from reviews.decisions import waiting as decisions_waiting
        from reviews.members import panels as member_panels
        from reviews.members import waiting as members_waiting
        from reviews.peer import panels as peer_panels
        from reviews.peer import waiting as peer_waiting
        from reviews.peer.views import visit as peer_views
        from reviews.reports import panels as report_panels
        from reviews.reports import views as report_views
        from reviews.reports import waiting as reports_waiting
        from reviews.selfassessment import views as self_assessment_views
        from reviews.selfassessment import waiting as self_assessment_waiting

        register("home", report_panels.ready_reports, order=10)
        register("home:network", cycle_panels.cycles_by_state, order=10)
        register("home:network", report_panels.network_reports, order=20)
        register("home:network", peer_panels.reviewers_card, order=30)
        register("home", cycle_panels.work_services, order=40)
        register("home", cycle_panels.member_services, order=50)
        register("home", peer_panels.visits, order=60)
        register("home", cycle_panels.commissioned_services, order=70)
        register("service", cycle_panels.service_cycles)
        register(CYCLE_PAGE, self_assessment_views.cycle_section, order=10)
        register(CYCLE_PAGE, member_panels.cycle_section, order=15)
        register(CYCLE_PAGE, peer_views.cycle_section, order=20)
        register(CYCLE_PAGE, follow_up_panels.cycle_section, order=25)
        register(CYCLE_PAGE, report_views.cycle_section, order=30)
        register(CYCLE_PAGE, appeal_panels.cycle_section, order=27)
        # "Waiting for you" on every home page: what each stage asks of the person now.
        for stage in (self_assessment_waiting, members_waiting, peer_waiting, decisions_waiting, reports_waiting):
            waiting.register(stage.waiting)
