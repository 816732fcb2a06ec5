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

        from django.db.models.signals import post_delete

        from weerbaar.organisations.models import Membership

        from .models import api_tokens_revoke_all

        def left(sender: object, instance: Membership, **kwargs: object) -> None:
            # Someone who leaves an organisation (or a region role) keeps no API token: a
            # script of theirs would otherwise go on with whatever roles remain.
            api_tokens_revoke_all(user=instance.user, reason="membership ended")

        post_delete.connect(
            left, sender=Membership, dispatch_uid="weerbaar.tokens.left", weak=False
        )
