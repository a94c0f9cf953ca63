"""Read models of deciding a review, one module per part (see reviews/decisions/services). Each
runs a fixed number of queries."""
