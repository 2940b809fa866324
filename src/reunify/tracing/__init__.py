"""Family tracing for separated children: registration, tracing requests, explainable matching,
verification, reunification and follow-up (issue 9). The matching rules are the pure package
`reunify.tracing.matching`; the records, workflow and pages are this Django app."""
