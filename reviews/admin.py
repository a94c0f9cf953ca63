from django.contrib import admin

from reviews.models import Cycle, CycleEvent, Evidence, SelfRating, TeamMember, Visit


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
    # The file itself is read-only here: it has no public URL, and changing it would break its hash.
    readonly_fields = ["file", "sha256", "size", "content_type", "original_name"]
    raw_id_fields = ["cycle"]


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
