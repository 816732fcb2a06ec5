"""Signals of the assessments app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.dispatch import Signal

answers_changed = Signal()
"""Sent inside the saving transaction after answers of ``assessment`` changed (by
``answer_save``); receivers keep derived data (theme tallies) in step."""

_pending = threading.local()


def answers_changed_send(sender: Any, assessment: Any) -> None:
    """Send ``answers_changed`` now, or once at the end of the enclosing ``answers_batch``."""
    pending: dict[int, Any] | None = getattr(_pending, "assessments", None)
    if pending is None:
        answers_changed.send(sender=sender, assessment=assessment)
    else:
        pending[assessment.pk] = (sender, assessment)


@contextmanager
def answers_batch() -> Iterator[None]:
    """Many saves, one ``answers_changed`` per self-assessment at the end (an Excel import, a
    pre-filled round). Use it inside the transaction of the saves: on an error nothing is sent
    and the transaction rolls back what was saved."""
    if getattr(_pending, "assessments", None) is not None:  # nested: the outer batch sends
        yield
        return
    _pending.assessments = {}
    try:
        yield
        batch, _pending.assessments = _pending.assessments, None
        for sender, assessment in batch.values():
            answers_changed.send(sender=sender, assessment=assessment)
    finally:
        _pending.assessments = None
