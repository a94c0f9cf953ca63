from django.urls import path  # noqa: F401

urlpatterns = [
    # recommending and ratifying

    # the follow-up after a deferral

    # appeals, the award and its interim review
]
