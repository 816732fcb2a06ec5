"""Read-only admin for the framework library: content changes only through new files."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from weerbaar.organisations.access import is_coordinator

from .models import Framework, Item, Section, Tag


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("title", "slug", "version", "kind", "loaded_at")
    list_filter = ("kind",)


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "framework")
    list_filter = ("framework",)


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "text", "section", "confidential")
    list_filter = ("section__framework", "confidential")
    search_fields = ("code", "text")


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ("vocabulary", "code", "label")
    list_filter = ("vocabulary",)
