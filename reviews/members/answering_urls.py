"""Answering the questionnaire with a member's account."""

urlpatterns = []
