"""Django admin for coordinators, scoped to their regions through the access layer.

Coordinators manage organisations, locations, people and their memberships in the regions
they coordinate; they never see or touch another region, staff or superusers. Every change
is audited (``AuditedAdminMixin``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from weerbaar.audit.admin_mixins import AuditedAdminMixin
from weerbaar.scoring.tally import tally_organisation

from .access import coordinated_organisations, coordinated_users, is_coordinator, regions_for
from .models import Functionary, Location, Membership, Organisation, Region, Role


class CoordinatorPermissions:
    """Open to regional coordinators (staff); the querysets keep them in their regions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request.user)


class CoordinatorAdmin(CoordinatorPermissions, AuditedAdminMixin):
    pass


def scoped_foreign_keys(db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """Limit region, organisation and user choices to what the coordinator manages."""
    if db_field.name == "region":
        kwargs["queryset"] = regions_for(request.user, Role.COORDINATOR)
    elif db_field.name == "organisation":
        kwargs["queryset"] = coordinated_organisations(request.user)
    elif db_field.name == "user":
        kwargs["queryset"] = coordinated_users(request.user)


class LocationInline(CoordinatorPermissions, admin.TabularInline):
    model = Location
    extra = 0


@admin.register(Region)
class RegionAdmin(CoordinatorAdmin):
    list_display = ("name", "code", "min_group_size")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return regions_for(request.user, Role.COORDINATOR)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Organisation)
class OrganisationAdmin(CoordinatorAdmin):
    list_display = ("name", "sector", "region", "shares_with_region_readers", "is_active")
    list_filter = ("sector", "is_active")
    search_fields = ("name",)
    inlines = (LocationInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return coordinated_organisations(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "sector" in form.changed_data:
            tally_organisation(obj)  # other items apply now: in the admin's transaction

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        scoped_foreign_keys(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(CoordinatorAdmin):
    list_display = ("user", "role", "organisation", "region", "job_title")
    list_filter = ("role",)
    search_fields = ("user__email", "user__full_name", "organisation__name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        regions = regions_for(request.user, Role.COORDINATOR)
        return super().get_queryset(request).filter(region__in=regions)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        scoped_foreign_keys(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FunctionaryForm(forms.ModelForm):
    class Meta:
        model = Functionary
        fields = ("organisation", "role_key", "user")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, user = data.get("organisation"), data.get("user")
        if (
            organisation is not None
            and user is not None
            and not Membership.objects.filter(organisation=organisation, user=user).exists()
        ):
            raise forms.ValidationError(_("Deze persoon hoort niet bij de organisatie."))
        return data


@admin.register(Functionary)
class FunctionaryAdmin(CoordinatorAdmin):
    form = FunctionaryForm
    list_display = ("organisation", "role_key", "user")
    list_filter = ("role_key",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Functionary]:
        return (
            super()
            .get_queryset(request)
            .filter(organisation__in=coordinated_organisations(request.user))
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        scoped_foreign_keys(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
