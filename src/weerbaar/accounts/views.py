"""Signing in with a one-time link (respondents)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .links import AccountLocked, sign_in_link_use
from .lockout import locked_out


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that follow links do not use them up); POST signs
    in, unless failed sign-ins have locked the account at this address."""
    if request.method == "POST":
        try:
            user = sign_in_link_use(token, locked=lambda person: locked_out(request, person.email))
        except AccountLocked:
            # The lock stays (and so does the link, for after the cool-off): the same page a
            # password sign-in gets.
            return render(request, "account/lockout.html", status=429)
        if user is not None:
            login(request, user, backend="weerbaar.accounts.backends.EmailBackend")
            return redirect("assessments:mine")
        return render(request, "account/sign_in_link.html", {"invalid": True}, status=410)
    return render(request, "account/sign_in_link.html", {"invalid": False})
