"""Outcomes: CFSR Round 4 indicators from Reunify's data and from AFCARS-style extracts
(issue 8; docs/outcomes.md)."""
