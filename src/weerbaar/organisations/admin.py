"""Django admin for coordinators, scoped to their regions through the access layer."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from weerbaar.audit.admin_mixins import AuditedAdminMixin

from .access import Level, is_coordinator, organisations_for, regions_for, scope
from .models import Functionary, Location, Membership, Organisation, Region, Role


class CoordinatorAdmin(AuditedAdminMixin):
    """Admin pages open to regional coordinators (staff) for the rows of their regions."""

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


class LocationInline(admin.TabularInline):
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
    list_filter = ("sector", "region", "is_active")
    search_fields = ("name",)
    inlines = (LocationInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return organisations_for(request.user, Level.MANAGE)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            kwargs["queryset"] = regions_for(request.user, Role.COORDINATOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(CoordinatorAdmin):
    list_display = ("user", "role", "organisation", "region", "job_title")
    list_filter = ("role", "region")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    autocomplete_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        regions = regions_for(request.user, Role.COORDINATOR)
        return super().get_queryset(request).filter(region__in=regions)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            kwargs["queryset"] = regions_for(request.user, Role.COORDINATOR)
        if db_field.name == "organisation":
            kwargs["queryset"] = organisations_for(request.user, Level.MANAGE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Functionary)
class FunctionaryAdmin(CoordinatorAdmin):
    list_display = ("organisation", "role_key", "user")
    list_filter = ("role_key",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Functionary]:
        return scope(super().get_queryset(request), request.user, Level.MANAGE)
