"""Insight screens, one module per feature; ``common`` holds what they share."""
