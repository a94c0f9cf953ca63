from django.urls import path

from reviews.notices import views

urlpatterns = [
    path("emails/", views.notice_settings, name="notice-settings"),
]
