"""Pages of the peer review, one module per part of the review (addresses under /cycles/<id>/):

- visit.py: visit/ (plan, timetable, team, starting), /cycles/conflicts-of-interest/;
- ratings.py: review/ and review/<value>/ (a reviewer's own ratings);
- agreeing.py: agree/ and agree/<criterion>/ (every view side by side, agreed ratings);
- findings.py: findings/ and actions/<id>/ (findings, the action plan, progress);
- decision.py: accuracy/, decision/ and feedback/ (the end of the review);
- reviewers.py: /cycles/reviewers/ (every reviewer's record, one reviewer's, the reciprocity ledger)
  and /cycles/your-reviewer-record/ (a reviewer's own, with the times they cannot visit).
"""
