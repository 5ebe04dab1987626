"""The commune officer's service (/officer): find a person of their communes,
open the record with a purpose, act for them with recorded consent, and the
officer's work lists."""
