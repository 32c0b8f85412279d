"""Training-time helpers: loading real datasets and fitting the classifier (not used at scan time)."""
