"""What a review decides, and what follows: the lead reviewer's recommendation and its
ratification, the follow-up review after a deferral, appeals, the award's validity and its
interim review. A stage above the peer review and below the reports."""
