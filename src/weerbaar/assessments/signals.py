"""Signals of the assessments app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.dispatch import Signal

answers_changed = Signal()
"""Sent inside the saving transaction after answers of ``assessment`` changed (by
``answer_save``); receivers keep derived data (theme tallies) in step. ``changes`` lists
``(item, old snapshot, new snapshot)`` for each answer saved, or is None when the receiver must
look at all answers again (after a batch)."""

assessments_filled = Signal()
"""Sent inside the transaction that wrote many answers of new self-assessments at once (a
pre-filled round; ``assessment_ids``), which may not be open yet: receivers bring their
derived data in step for all of them together."""

_pending = threading.local()


def answers_changed_send(
    sender: Any,
    assessment: Any,
    changes: list[tuple[Any, dict[str, Any], dict[str, Any]]] | None = None,
) -> None:
    """Send ``answers_changed`` with ``changes`` now, or once (without them) at the end of the
    enclosing ``answers_batch``."""
    pending: dict[int, Any] | None = getattr(_pending, "assessments", None)
    if pending is None:
        answers_changed.send(sender=sender, assessment=assessment, changes=changes)
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
            answers_changed.send(sender=sender, assessment=assessment, changes=None)
    finally:
        _pending.assessments = None
