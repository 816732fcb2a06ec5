"""Enforce MFA for the roles that need it: allauth offers MFA but does not require it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .mfa import mfa_enabled, mfa_missing, session_passed_mfa

# Pages a user without MFA may still reach: setting MFA up, signing out, language, health.
ALLOWED_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_login",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "set_language",
        "healthz",
        "favicon",
        "sign_in_link",
    }
)


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and mfa_enabled(user)
            and not session_passed_mfa(request, user)
        ):
            # Signed in without the second factor (any path other than allauth's sign-in
            # with its MFA step): not accepted.
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Meld u aan met tweestapsverificatie.")}, status=401
                )
            messages.warning(request, _("Meld u opnieuw aan met uw authenticatorcode."))
            return redirect("account_login")
        if (
            user is not None
            and user.is_authenticated
            and not self._allowed(request)
            and mfa_missing(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Stel eerst tweestapsverificatie in.")}, status=403
                )
            messages.warning(
                request,
                _(
                    "Uw rol geeft toegang tot vertrouwelijke gegevens. Stel eerst "
                    "tweestapsverificatie in met een authenticator-app."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        if request.path.startswith("/static/"):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 reveals nothing
        return match.url_name in ALLOWED_URL_NAMES
