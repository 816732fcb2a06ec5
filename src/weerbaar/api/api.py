"""``/api/v1/``: the same data and rules as the browser, through the same access layer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError

from weerbaar import ids  # noqa: F401  (registers the {id:…} converter)
from weerbaar.accounts.models import User
from weerbaar.frameworks.export import framework_as_dict, get_framework
from weerbaar.frameworks.models import Framework
from weerbaar.organisations import access
from weerbaar.organisations.access import Level, NotAllowed

from .actions import router as actions_router
from .assessments import router as assessments_router
from .auth import session_auth, token_auth
from .incidents import router as incidents_router
from .regions import router as regions_router
from .scenarios import clients as clients_router
from .scenarios import router as scenarios_router
from .schemas import FrameworkSummary, FunctionaryOut, Me, OrganisationDetail, OrganisationOut
from .status import by_organisation as organisation_status_router
from .status import contacts as contacts_router
from .status import messages as messages_router
from .status import sitreps as sitreps_router
from .status import support as support_router

api = NinjaAPI(
    title="Weerbaar API",
    version="1",
    description=(
        "Weerbaar API v1. Authenticate with a personal bearer token "
        "(`weerbaar token create --email …`) or the browser session."
    ),
    auth=[token_auth, session_auth],
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
    urls_namespace="api",
)


# What a malformed body or parameter gets: one Dutch sentence, and per field where and why.
FIELD_MESSAGES = {
    "missing": "Dit veld is verplicht.",
    "extra_forbidden": "Dit veld is onbekend.",
    "string_too_long": "Deze tekst is te lang.",
    "json_invalid": "Dit is geen geldige JSON.",
    "model_attributes_type": "Verwacht een JSON-object.",
    "dict_type": "Verwacht een JSON-object.",
}


def _field_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "value_error":  # raised by our own validators, already in Dutch
        return str(error.get("ctx", {}).get("error", "")) or "Ongeldige waarde."
    if kind in FIELD_MESSAGES:
        return FIELD_MESSAGES[kind]
    if kind.startswith(("date", "datetime")):
        return "Ongeldige datum (gebruik JJJJ-MM-DD)."
    if kind.startswith(("int", "float", "decimal")):
        return "Verwacht een getal."
    if kind.startswith("bool"):
        return "Verwacht true of false."
    return "Ongeldige waarde."


@api.exception_handler(NotAllowed)
def not_allowed(request: HttpRequest, exc: NotAllowed) -> Any:
    """The domain's one refusal (``access.NotAllowed``): a 403 with its Dutch reason."""
    return api.create_response(request, {"detail": str(exc) or "Niet toegestaan."}, status=403)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> Any:
    return api.create_response(
        request,
        {
            "detail": "De invoer is ongeldig.",
            "errors": [
                {
                    "loc": [str(part) for part in error.get("loc", ())],
                    "message": _field_message(error),
                    "type": error.get("type", ""),
                }
                for error in exc.errors
            ],
        },
        status=422,
    )


api.add_router("/assessments", assessments_router)
api.add_router("/regions", regions_router)
api.add_router("/organisations", actions_router)
api.add_router("/incidents", incidents_router)
api.add_router("/sitreps", sitreps_router)
api.add_router("/support", support_router)
api.add_router("/messages", messages_router)
api.add_router("/contacts", contacts_router)
api.add_router("/organisations", organisation_status_router)
api.add_router("/scenarios", scenarios_router)
api.add_router("/organisations", clients_router)


@api.get("/me", response=Me, url_name="me")
def me(request: HttpRequest) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]  # set by ninja's auth
    return {
        "email": user.email,
        "name": user.get_full_name(),
        "roles": sorted(role.value for role in access.roles_of(user)),
    }


@api.get("/frameworks", response=list[FrameworkSummary], url_name="framework_list")
def framework_list(request: HttpRequest) -> list[dict[str, Any]]:
    frameworks = Framework.objects.annotate(
        section_count=Count("sections", distinct=True),
        item_count=Count("sections__items", distinct=True),
    ).order_by("slug", "version")
    return [
        {
            "id": fw.slug,
            "version": fw.version,
            "kind": fw.kind,
            "title": fw.title,
            "sections": fw.section_count,
            "items": fw.item_count,
        }
        for fw in frameworks
    ]


@api.get("/frameworks/{slug}", response=dict[str, Any], url_name="framework_detail")
def framework_detail(request: HttpRequest, slug: str, version: str | None = None) -> Any:
    """The framework as JSON (newest loaded version unless ``version`` is given)."""
    return framework_as_dict(get_framework(slug, version))


@api.get("/organisations", response=list[OrganisationOut], url_name="organisation_list")
def organisation_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_organisation(org) for org in access.organisations_for(request.user, Level.LIST)]


@api.get("/organisations/{id:pk}", response=OrganisationDetail, url_name="organisation_detail")
def organisation_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = access.get_organisation(request.user, pk, Level.DETAIL)
    functionaries: dict[str, list[str]] = {}
    for row in org.functionaries.select_related("user").order_by("role_key", "user__email"):
        functionaries.setdefault(row.role_key, []).append(row.user.email)
    return {
        **_organisation(org),
        "shares_with_region_readers": org.shares_with_region_readers,
        "locations": list(org.locations.values("name", "address", "postcode", "city", "beds")),
        "functionaries": [
            FunctionaryOut(role=key, people=people) for key, people in functionaries.items()
        ],
    }


def _organisation(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name, "sector": org.sector, "region": org.region.name}
