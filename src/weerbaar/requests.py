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


# The largest body each upload may send: the file (its own limit) plus the form around it;
# every other request gets Django's limit for form data. Checked on the Content-Length before
# a byte of the body is read, so a 2 GB "import" costs nothing.
FORM_OVERHEAD = 64 * 1024


def body_limit(path: str) -> int:
    from django.conf import settings
    from django.urls import Resolver404, resolve

    from weerbaar.assessments import evidence, excel

    uploads = {
        "assessments:excel_import": excel.MAX_UPLOAD,
        "assessments:evidence_upload": evidence.MAX_BYTES,
    }
    try:
        match = resolve(path)
    except Resolver404:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if match.view_name in uploads:
        return uploads[match.view_name] + FORM_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RefuseLargeBodyMiddleware:
    """A request body larger than its URL accepts is answered 413 on its Content-Length,
    before anything reads the body (CSRF, the form, the upload handlers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = body_limit(request.path_info)
            if length > limit:
                return too_large(request, limit)
        return self.get_response(request)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    megabytes = max(1, round(limit / (1024 * 1024)))
    message = _(
        "Het verzoek is te groot: hier past maximaal %(mb)s MB. Er is niets opgeslagen; kies een "
        "kleiner bestand en probeer het opnieuw."
    ) % {"mb": megabytes}
    if request.path_info.startswith("/api/"):
        import json

        return HttpResponse(
            json.dumps({"detail": message}), status=413, content_type="application/json"
        )
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    body = render_to_string("413.html", {"message": message, "back": back})
    response = HttpResponse(body, status=413)
    response["Connection"] = "close"  # the client may still be sending; do not read it
    return response


class NoStoreMiddleware:
    """Every response of the application (pages, fragments, API answers, exports, errors)
    is ``Cache-Control: no-store, private`` unless the view chose otherwise: what hospitals
    answer is a map of their weak spots, and must not stay behind in a shared proxy or a
    browser's cache on a ward computer. Static files (served by WhiteNoise before this) keep
    their long cache lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response
