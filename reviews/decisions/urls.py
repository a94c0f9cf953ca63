from django.urls import path  # noqa: F401

from reviews.decisions.views import follow_up as follow_up_views

urlpatterns = [
    # recommending and ratifying

    # the follow-up after a deferral
    path("<int:pk>/follow-up/", follow_up_views.follow_up, name="follow-up"),

    # appeals, the award and its interim review
]
