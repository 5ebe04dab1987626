"""Grievance cases in the back office: the handlers' queue, one case and its
actions, the CSV of the queue, and the supervisors' dashboard."""
