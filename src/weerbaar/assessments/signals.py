"""Signals of the assessments app."""

from __future__ import annotations

from django.dispatch import Signal

answers_changed = Signal()
"""Sent inside the saving transaction after answers of ``assessment`` changed (by
``answer_save``); receivers keep derived data (theme tallies) in step."""
