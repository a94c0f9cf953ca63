"""The members' questionnaire under a cycle (`reviews:` namespace): answering it with a member's
account, and running it (sessions, paper, meetings, counts, quotes). Answering by a session's
code needs no account and lives at /questionnaire/ (public_urls.py)."""

from reviews.members.answering_urls import urlpatterns as answering_pages
from reviews.members.running_urls import urlpatterns as running_pages

urlpatterns = answering_pages + running_pages
