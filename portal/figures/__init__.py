"""Figures for decision-makers: open, privacy-safe statistics by place (/figures)."""
