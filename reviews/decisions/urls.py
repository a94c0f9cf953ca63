from django.urls import path  # noqa: F401

from reviews.decisions.views import appeals as appeal_views
from reviews.decisions.views import deciding
from reviews.decisions.views import follow_up as follow_up_views
from reviews.decisions.views import lifecycle as lifecycle_views

urlpatterns = [
    # recommending and ratifying
    path("<int:pk>/decision/", deciding.decision, name="decision"),

    # the follow-up after a deferral
    path("<int:pk>/follow-up/", follow_up_views.follow_up, name="follow-up"),

    # appeals, the award and its interim review
    path("<int:pk>/appeal/", appeal_views.appeal, name="appeal"),
    path("<int:pk>/interim-review/", lifecycle_views.interim_review, name="interim-review"),
]
