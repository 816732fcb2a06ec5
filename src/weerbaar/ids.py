"""Ids from outside: in a URL, a query parameter, a form or a JSON body.

Every primary key is a 64-bit integer (``BigAutoField``). A larger number (or a negative one)
can name nothing, and handing it to the database is an error there (SQLite cannot even bind
it), so it is refused where it comes in: a path segment does not match (404), an API parameter
or field fails validation (422 with a Dutch message), a form field is an invalid choice.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import register_converter
from pydantic import Field

MAX_ID = 2**63 - 1
MAX_DIGITS = len(str(MAX_ID))

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id in the API: a query parameter or a field of a JSON body."""

Version = Annotated[int, Field(ge=0, le=MAX_ID)]
"""The version a client read last (0: none yet), compared with a stored version."""


def parse_id(value: Any) -> int | None:
    """``value`` as an id, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):  # a spreadsheet's number
        if not value.is_integer() or not 0 <= value <= MAX_ID:
            return None
        number = int(value)
    else:
        text = str(value if value is not None else "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_version(value: Any) -> int | None:
    """``value`` as a version a client read (0 or more), or None when it cannot be one."""
    if value in (0, "0"):
        return 0
    return parse_id(value)


def int_or_none(value: str | None) -> int | None:
    """An id (or a version) from a query parameter or form field; None when it is empty or
    cannot be one."""
    return parse_version(value) if value else None


class IdConverter:
    """``<id:pk>`` in a URL: digits that fit an id; anything else does not match (404)."""

    regex = f"[0-9]{{1,{MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose submitted id is checked before the database sees it."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not self.to_field_name and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Model choices whose submitted ids are checked before the database sees them."""

    def _check_values(self, value: Any) -> Any:
        if not self.to_field_name:
            for choice in value:
                if parse_id(choice) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": choice},
                    )
        return super()._check_values(value)  # type: ignore[misc]


register_converter(IdConverter, "id")
