"""My record: what the registry holds about the signed-in citizen, their SPID
card, and who looked at their data."""
