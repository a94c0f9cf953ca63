"""Answering the questionnaire with a member's account; and, for staff, the paper copy to print,
typing in returned copies and a members' meeting's shared answers."""

from django.urls import path

from reviews.members.views import answering, paper

urlpatterns = [
    path("<int:pk>/questionnaire/", answering.start, name="questionnaire"),
    path("<int:pk>/questionnaire/page/<int:number>/", answering.page, name="questionnaire-page"),
    path("<int:pk>/questionnaire/check/", answering.check, name="questionnaire-check"),
    path("<int:pk>/questionnaire/thank-you/", answering.thanks, name="questionnaire-thanks"),
    path("<int:pk>/questionnaire/printable.pdf", paper.printable, name="questionnaire-printable"),
    path("<int:pk>/questionnaire/paper/", paper.paper, name="questionnaire-paper"),
    path("<int:pk>/questionnaire/meeting/", paper.meeting, name="questionnaire-meeting"),
]
