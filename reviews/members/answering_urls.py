"""Answering the questionnaire with a member's account."""

from django.urls import path

from reviews.members.views import answering

urlpatterns = [
    path("<int:pk>/questionnaire/", answering.start, name="questionnaire"),
    path("<int:pk>/questionnaire/page/<int:number>/", answering.page, name="questionnaire-page"),
    path("<int:pk>/questionnaire/check/", answering.check, name="questionnaire-check"),
    path("<int:pk>/questionnaire/thank-you/", answering.thanks, name="questionnaire-thanks"),
]
