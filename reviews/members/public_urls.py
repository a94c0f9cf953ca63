"""Answering the questionnaire at a session, by its code: no account needed."""

app_name = "questionnaire"
urlpatterns = []
