from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.accounts.views import sign_in_link
from weerbaar.api.api import api

from . import views

# The admin has no sign-in of its own: it goes through allauth (password + TOTP).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("Weerbaar — beheer")
admin.site.site_title = _("Weerbaar")
admin.site.index_title = _("Beheer van regio, organisaties en mensen")

urlpatterns = [
    # The API first: it answers the most requests (autosave clients), and Django tries the
    # patterns in order.
    path("api/v1/", api.urls),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("kaders/", include("weerbaar.frameworks.urls")),
    path("organisaties/", include("weerbaar.organisations.urls")),
    path("", include("weerbaar.assessments.urls")),
    path("", include("weerbaar.insights.urls")),
    path("", include("weerbaar.plan.urls")),
    path("", include("weerbaar.dependencies.urls")),
    path("", include("weerbaar.recommendations.urls")),
    path("", include("weerbaar.crisis.urls")),
    path("", include("weerbaar.scenarios.urls")),
    path("accounts/", include("allauth.urls")),
    path("aanmelden/<str:token>/", sign_in_link, name="sign_in_link"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
]
