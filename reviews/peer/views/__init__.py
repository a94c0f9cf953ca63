"""Pages of the peer review, one module per part of the review (addresses under /cycles/<id>/):

- visit.py: visit/ (plan, timetable, team, starting), /cycles/conflicts-of-interest/;
- ratings.py: review/ and review/<value>/ (a reviewer's own ratings);
- agreeing.py: agree/ and agree/<criterion>/ (every view side by side, agreed ratings);
- findings.py: findings/ and actions/<id>/ (findings, the action plan, progress);
- decision.py: accuracy/, decision/ and feedback/ (the end of the review).
"""
