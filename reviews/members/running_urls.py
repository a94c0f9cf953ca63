"""Running the questionnaire: sessions, paper copies, meetings, the counts and quotes."""

from django.urls import path

from reviews.members.views import voice

urlpatterns = [
    path("<int:pk>/members/", voice.members_voice, name="members"),
]
