from django.contrib import admin

from standards.models import Criterion, Edition, Framework, RatingLevel, Value


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["framework", "version", "status", "loaded_at"]
    list_filter = ["framework", "status"]
    list_select_related = ["framework"]
    inlines = [RatingLevelInline]


@admin.register(RatingLevel)
class RatingLevelAdmin(admin.ModelAdmin):
    list_display = ["edition", "value", "label"]
    list_select_related = ["edition__framework"]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "edition", "order"]
    list_filter = ["edition"]
    list_select_related = ["edition__framework"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "statement", "tier", "rated_by", "edition"]
    list_filter = ["edition", "tier", "rated_by", "value__name"]
    list_select_related = ["edition__framework", "value"]
    search_fields = ["code", "statement"]
