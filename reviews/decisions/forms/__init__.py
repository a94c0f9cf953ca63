"""Forms of deciding a review, one module per part (see reviews/decisions/services)."""
