"""Answering the questionnaire at a session, by its code: no account needed."""

from django.urls import path

from reviews.members.views import public

app_name = "questionnaire"
urlpatterns = [
    path("", public.start, name="start"),
    path("thank-you/", public.thanks, name="thanks"),
    path("<str:code>/", public.answer, name="answer"),
    path("<str:code>/page/<int:number>/", public.page, name="page"),
    path("<str:code>/check/", public.check, name="check"),
]
