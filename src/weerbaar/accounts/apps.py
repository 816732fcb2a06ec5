from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "weerbaar.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from .mfa import record_mfa

        def activated(
            sender: object, request: object, user: object, authenticator: object, **kwargs: object
        ) -> None:
            # Setting up TOTP proves possession of the second factor for this session.
            if request is not None:
                record_mfa(request, user, type=str(getattr(authenticator, "type", "")))  # type: ignore[arg-type]

        authenticator_added.connect(activated, dispatch_uid="weerbaar.mfa.activated", weak=False)
