"""Change requests: a citizen asks for their registered data to be changed; an
officer checks and approves, and the registry applies it."""
