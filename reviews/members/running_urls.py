"""Running the questionnaire: sessions, paper copies, meetings, the counts and quotes."""

urlpatterns = []
