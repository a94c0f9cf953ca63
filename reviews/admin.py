from django.contrib import admin

from reviews.models import Cycle


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["service", "edition", "state", "opened_at", "self_assessment_due"]
    list_filter = ["state", "edition"]
    list_select_related = ["service", "edition__framework"]
    search_fields = ["service__name"]
    autocomplete_fields = ["service"]
