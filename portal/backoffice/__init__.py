"""The back office: programme officers decide applications and record
payments; commune officers confirm what reached their commune."""
