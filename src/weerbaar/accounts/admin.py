from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from weerbaar.audit.admin_mixins import AuditedAdminMixin
from weerbaar.organisations.access import is_coordinator

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "is_demo", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "is_demo")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("full_name",)}),
        (_("Rechten"), {"fields": ("is_active", "is_staff", "is_superuser", "is_demo")}),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return bool(request.user.is_superuser)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Coordinators manage people, not platform rights.
            fields += ("is_staff", "is_superuser", "is_demo")
        return fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from weerbaar.organisations.access import regions_for
        from weerbaar.organisations.models import Role

        regions = regions_for(request.user, Role.COORDINATOR)
        return queryset.filter(memberships__region__in=regions).distinct()


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "token_hash", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request, obj=None):
        return False  # tokens are created with `weerbaar token create`, shown once

    # Staff see and can revoke (set "ingetrokken") their own tokens; superusers all tokens.
    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def has_change_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)


# Weerbaar's rights come from memberships, not Django groups.
admin.site.unregister(Group)
