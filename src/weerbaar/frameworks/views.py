from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .export import get_framework, sections_with_content
from .models import Framework


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.annotate(
        section_count=Count("sections", distinct=True),
        item_count=Count("sections__items", distinct=True),
    ).order_by("kind", "title", "-version")
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


@login_required
def framework_detail(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    framework = get_framework(slug, version)
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "sections": sections_with_content(framework),
            "scale": framework.scale.all(),
        },
    )
