from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reviews.models import (
    AccuracyComment,
    Action,
    ActionNote,
    AgreedRating,
    Appeal,
    ConflictOfInterest,
    Cycle,
    CycleEvent,
    DateAvailability,
    Decision,
    Evidence,
    Finding,
    FollowUp,
    FollowUpAnswer,
    FollowUpRating,
    InterimReview,
    MemberQuote,
    NoticeOptOut,
    PeerRating,
    ProposedDate,
    QuestionnaireSession,
    RatificationVote,
    RatingChange,
    Recommendation,
    Report,
    ReportKind,
    SelfRating,
    SentNotice,
    TeamMember,
    TimetableItem,
    Visit,
    VisitFeedback,
    VisitInvitation,
)
from reviews.privacy.admin_actions import erase_personal_data, export_personal_data


class CycleEventInline(admin.TabularInline):
    model = CycleEvent
    extra = 0
    readonly_fields = ["at", "actor", "from_state", "to_state", "reason"]
    can_delete = False


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["service", "edition", "state", "opened_at", "self_assessment_due", "submitted_at"]
    list_filter = ["state", "edition"]
    list_select_related = ["service", "edition__framework"]
    search_fields = ["service__name"]
    autocomplete_fields = ["service"]
    inlines = [CycleEventInline]


@admin.register(CycleEvent)
class CycleEventAdmin(admin.ModelAdmin):
    list_display = ["cycle", "at", "actor", "from_state", "to_state"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "actor"]


@admin.register(SelfRating)
class SelfRatingAdmin(admin.ModelAdmin):
    list_display = ["cycle", "criterion", "perspective", "level", "not_applicable", "updated_by", "updated_at"]
    list_filter = ["perspective", "not_applicable"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "criterion", "level", "updated_by"]
    raw_id_fields = ["cycle", "criterion", "evidence"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle", "kind", "content_type", "size", "added_by", "added_at"]
    list_filter = ["kind", "added_as"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "added_by"]
    # The file itself is read-only here, and shown through the page that checks permission: it has
    # no public URL (the admin's own file widget would ask for one), and changing it would break
    # its hash.
    exclude = ["file"]
    readonly_fields = ["stored_file", "sha256", "size", "content_type", "original_name"]
    raw_id_fields = ["cycle"]

    @admin.display(description=_("file"))
    def stored_file(self, evidence):
        if not evidence.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("reviews:evidence-download", args=[evidence.cycle_id,
                                                                                          evidence.pk]),
                           evidence.original_name or evidence.file.name)


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["cycle", "date"]
    list_select_related = ["cycle__service", "cycle__edition__framework"]
    inlines = [TeamMemberInline]


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["visit", "user", "role"]
    list_select_related = ["visit__cycle__service", "user"]


@admin.register(TimetableItem)
class TimetableItemAdmin(admin.ModelAdmin):
    list_display = ["visit", "starts_at", "ends_at", "kind"]
    list_select_related = ["visit__cycle__service"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["user", "service", "organisation", "reason", "declared_at"]
    list_select_related = ["user", "service", "organisation"]
    search_fields = ["user__username", "user__last_name", "service__name", "organisation__name"]
    autocomplete_fields = ["user", "service", "organisation"]


# Members' responses, their answers and who took part are not in the administration at all: a
# response is never shown to anyone, and what members wrote is for the review team only.
@admin.register(QuestionnaireSession)
class QuestionnaireSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "cycle", "code", "opens_at", "closes_at", "closed_at"]
    list_select_related = ["cycle__service"]
    search_fields = ["name", "code", "cycle__service__name"]
    raw_id_fields = ["cycle", "opened_by"]


@admin.register(MemberQuote)
class MemberQuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "proposed_at", "agreed_at", "declined_at"]
    list_select_related = ["cycle__service"]
    raw_id_fields = ["cycle", "proposed_by", "agreed_by"]


@admin.register(PeerRating)
class PeerRatingAdmin(admin.ModelAdmin):
    list_display = ["criterion", "team_member", "level", "not_applicable", "abstained", "updated_at"]
    list_filter = ["abstained", "not_applicable"]
    list_select_related = ["criterion", "team_member__user", "level"]
    raw_id_fields = ["team_member", "criterion"]


@admin.register(AgreedRating)
class AgreedRatingAdmin(admin.ModelAdmin):
    list_display = ["cycle", "criterion", "level", "not_applicable", "agreed_by", "agreed_at"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "criterion", "level", "agreed_by"]
    raw_id_fields = ["cycle", "criterion"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["cycle", "kind", "text", "created_by", "acknowledged_at"]
    list_filter = ["kind"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "created_by"]
    raw_id_fields = ["cycle", "criterion"]


class ActionNoteInline(admin.TabularInline):
    model = ActionNote
    extra = 0
    readonly_fields = ["at", "by", "from_status", "to_status", "text"]
    can_delete = False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["description", "cycle", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["cycle__service", "cycle__edition__framework"]
    raw_id_fields = ["cycle", "finding", "criterion", "carried_from"]
    inlines = [ActionNoteInline]


@admin.register(ActionNote)
class ActionNoteAdmin(admin.ModelAdmin):
    list_display = ["action", "from_status", "to_status", "by", "at"]
    list_select_related = ["action", "by"]
    raw_id_fields = ["action"]


@admin.register(AccuracyComment)
class AccuracyCommentAdmin(admin.ModelAdmin):
    list_display = ["cycle", "text", "by", "at", "responded_at"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "by"]
    raw_id_fields = ["cycle", "criterion", "finding"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["cycle", "outcome", "valid_until", "recorded_by", "recorded_at"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "recorded_by"]
    raw_id_fields = ["cycle"]


CYCLE_RELATED = ["cycle__service", "cycle__edition__framework"]


@admin.register(RatingChange)
class RatingChangeAdmin(admin.ModelAdmin):
    list_display = ["cycle", "source", "criterion", "finding", "by", "at"]
    list_select_related = [*CYCLE_RELATED, "criterion", "finding", "by"]
    raw_id_fields = ["cycle", "criterion", "finding", "accuracy_comment"]


class RatificationVoteInline(admin.TabularInline):
    model = RatificationVote
    extra = 0
    raw_id_fields = ["by"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["cycle", "outcome", "status", "recommended_by", "recommended_at"]
    list_select_related = [*CYCLE_RELATED, "recommended_by"]
    raw_id_fields = ["cycle", "follow_up"]
    inlines = [RatificationVoteInline]


@admin.register(RatificationVote)
class RatificationVoteAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "by", "ratified", "at"]
    list_select_related = ["recommendation__cycle__service", "by"]
    raw_id_fields = ["recommendation", "by"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["cycle", "due_on", "status", "opened_at", "decided_at"]
    list_select_related = CYCLE_RELATED
    raw_id_fields = ["cycle"]
    filter_horizontal = ["criteria"]


@admin.register(FollowUpAnswer)
class FollowUpAnswerAdmin(admin.ModelAdmin):
    list_display = ["follow_up", "criterion", "updated_by", "updated_at"]
    list_select_related = ["follow_up__cycle__service", "criterion", "updated_by"]
    raw_id_fields = ["follow_up", "criterion", "evidence"]


@admin.register(FollowUpRating)
class FollowUpRatingAdmin(admin.ModelAdmin):
    list_display = ["follow_up", "criterion", "level", "not_applicable", "rated_by", "rated_at"]
    list_select_related = ["follow_up__cycle__service", "criterion", "level", "rated_by"]
    raw_id_fields = ["follow_up", "criterion"]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["cycle", "status", "result", "lodged_at", "decided_at"]
    list_select_related = CYCLE_RELATED
    raw_id_fields = ["cycle", "panel"]


@admin.register(InterimReview)
class InterimReviewAdmin(admin.ModelAdmin):
    list_display = ["cycle", "due_on", "submitted_at", "reviewed_at"]
    list_select_related = CYCLE_RELATED
    raw_id_fields = ["cycle"]


@admin.register(VisitFeedback)
class VisitFeedbackAdmin(admin.ModelAdmin):
    list_display = ["cycle", "given_by", "visit_rating", "team_rating", "given_at"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "given_by"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are records: readable here, never edited (a final report is frozen)."""

    list_display = ["kind", "cycle", "edition", "year", "is_final", "version", "status", "created_at"]
    list_filter = ["kind", "is_final", "status"]
    list_select_related = ["cycle__service", "cycle__edition__framework", "edition__framework"]
    # The PDF is shown through the page that checks permission: it has no public URL.
    exclude = ["file"]
    readonly_fields = ["stored_file"]

    @admin.display(description=_("PDF"))
    def stored_file(self, report):
        if not report.file:
            return "—"
        if report.kind == ReportKind.SERVICE and report.is_final:
            address = reverse("reports:report-final", args=[report.cycle_id, report.version])
        elif report.kind in (ReportKind.NETWORK, ReportKind.PORTFOLIO):
            address = reverse("reports:report-download", args=[report.pk])
        else:
            address = reverse("reports:report-pdf", args=[report.cycle_id])
        return format_html('<a href="{}">{}</a>', address, _("Open the PDF"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DateAvailabilityInline(admin.TabularInline):
    model = DateAvailability
    extra = 0
    raw_id_fields = ["user"]


@admin.register(VisitInvitation)
class VisitInvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "visit", "kind", "status", "invited_at", "answered_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["user", "visit__cycle__service"]
    search_fields = ["user__username", "user__last_name", "visit__cycle__service__name"]
    raw_id_fields = ["visit", "user", "invited_by"]


@admin.register(ProposedDate)
class ProposedDateAdmin(admin.ModelAdmin):
    list_display = ["visit", "date", "proposed_by", "proposed_at"]
    list_select_related = ["visit__cycle__service", "proposed_by"]
    raw_id_fields = ["visit", "proposed_by"]
    inlines = [DateAvailabilityInline]


@admin.register(DateAvailability)
class DateAvailabilityAdmin(admin.ModelAdmin):
    list_display = ["user", "proposed_date", "answer", "answered_at"]
    list_select_related = ["user", "proposed_date__visit__cycle__service"]
    raw_id_fields = ["proposed_date", "user"]


# Which emails went to whom is a record: it can be read, never written or changed by hand.
@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "user", "kind", "subject", "cycle"]
    list_filter = ["kind"]
    list_select_related = ["user", "cycle__service"]
    search_fields = ["user__username", "user__last_name", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NoticeOptOut)
class NoticeOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


# The people list's personal-data actions run the erasure and export of reviews.privacy, which reach
# every app's records, so they are added here rather than in the network core's admin.
admin.site.get_model_admin(get_user_model()).actions = [export_personal_data, erase_personal_data]
