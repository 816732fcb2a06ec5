"""Refusing requests that no form or API could ever store."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

# Multipart bodies are parsed here no earlier than CsrfViewMiddleware would parse them.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data: object) -> bool:
    lists = getattr(data, "lists", None)
    if lists is None:
        return False
    return any(
        "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values)
        for key, values in lists()
    )


class RefuseNulMiddleware:
    """A NUL character in the path, a query parameter or a form field is refused with a 400
    before any view reads it: PostgreSQL cannot store or even compare text holding one (a 500
    otherwise), and no Dutch sentence needs it. JSON bodies are checked by the API's input
    schemas."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        form = request.method == "POST" and request.content_type in FORM_TYPES
        if "\x00" in request.path or _has_nul(request.GET) or (form and _has_nul(request.POST)):
            return HttpResponseBadRequest(
                "Ongeldig teken (NUL) in het verzoek.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
