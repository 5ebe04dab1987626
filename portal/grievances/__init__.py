"""Grievances: anyone reports a problem (signed in or not, even anonymously),
follows it by reference, and handlers and supervisors resolve it on time."""
