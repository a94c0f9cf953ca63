from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from assurance.models import (
    AccountInvitation,
    Organisation,
    Region,
    ReviewerRecord,
    Role,
    Sector,
    Service,
    ThrottleHit,
    Unavailability,
    User,
)
from assurance.roles import roles_of


def _network_admins_only(request):
    """Roles, not the is_staff flag, say who may use the admin: network administrators."""
    return request.user.is_active and roles_of(request.user).is_network_admin


def _sign_in_on_our_page(request, extra_context=None):
    """The administration has no sign-in page of its own: people sign in on ours, which pauses
    guessing from one address (assurance.throttle). No password is ever tried here."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))


admin.site.has_permission = _network_admins_only
admin.site.login = _sign_in_on_our_page
# People's permissions come from their roles (assurance.rules), not from Django's groups.
admin.site.unregister(Group)


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["service"]


class ReviewerRecordInline(admin.StackedInline):
    model = ReviewerRecord
    extra = 0
    max_num = 1


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleInline, ReviewerRecordInline, UnavailabilityInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]


@admin.register(Region, Sector)
class NamedAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(NamedAdmin):
    pass


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "sector", "region", "is_active", "is_secure_setting"]
    list_filter = ["region", "sector", "is_active", "is_secure_setting"]
    list_select_related = ["organisation", "sector", "region"]
    search_fields = ["name", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "service"]
    list_filter = ["kind"]
    list_select_related = ["user", "service"]
    search_fields = ["user__username", "user__last_name", "service__name"]
    autocomplete_fields = ["user", "service"]


@admin.register(ReviewerRecord)
class ReviewerRecordAdmin(admin.ModelAdmin):
    """A reviewer's training and vetting; their times unavailable are on the person's page."""

    list_display = ["user", "trained_on", "vetting", "vetting_expires_on"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "vetting"]
    autocomplete_fields = ["user"]


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["user", "starts_on", "ends_on", "note"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(ThrottleHit)
class ThrottleHitAdmin(admin.ModelAdmin):
    """Counted events of the rate limits (wrong passwords from an address, password resets).
    Deleting an address's or account's entries lifts its pause; they cannot be made by hand."""

    list_display = ["scope", "at"]
    list_filter = ["scope"]
    readonly_fields = ["scope", "key", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccountInvitation)
class AccountInvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_by", "sent_at", "accepted_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    raw_id_fields = ["user", "invited_by"]
