"""Register once: a citizen with no registry record registers themselves and
their household (or claims the record the registry already has), giving each
fact once; every programme then reuses it."""
