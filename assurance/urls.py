from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assurance import views
from assurance.onboarding import views as onboarding

admin.site.site_header = "Relational Assurance administration"
admin.site.site_title = "Relational Assurance"

accounts = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include(accounts)),
    path("services/", views.service_list, name="service-list"),
    path("services/<slug:slug>/", views.service_detail, name="service-detail"),
    path("audit/", views.audit_log, name="audit-log"),
    path("network/import/", onboarding.network_import, name="network-import"),
    path("network/import/example.csv", onboarding.import_template, name="network-import-template"),
    path("invitation/<str:token>/", onboarding.accept_invitation, name="accept-invitation"),
    path("standards/", include("standards.urls")),
    path("cycles/", include("reviews.urls")),
    path("questionnaire/", include("reviews.members.public_urls")),
    path("", include("reviews.reports.urls")),
    path("admin/", admin.site.urls),
]
