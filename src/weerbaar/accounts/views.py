"""Signing in with a one-time link (respondents)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .links import sign_in_link_use


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that follow links do not use them up); POST signs
    in."""
    if request.method == "POST":
        user = sign_in_link_use(token)
        if user is not None:
            login(request, user, backend="weerbaar.accounts.backends.EmailBackend")
            return redirect("assessments:mine")
        return render(request, "account/sign_in_link.html", {"invalid": True}, status=410)
    return render(request, "account/sign_in_link.html", {"invalid": False})
