from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)

from .views import dependencies, exports, organisation, plan, recommendations, region

app_name = "insights"
urlpatterns = [
    path("zelfevaluaties/<id:pk>/hiaten/", organisation.gaps, name="gaps"),
    path("zelfevaluaties/<id:pk>/rapport.pdf", organisation.report, name="report"),
    path("regio/<id:pk>/heatmap/", region.heatmap, name="heatmap"),
    path("regio/<id:pk>/normen/", region.norms, name="norms"),
    path("regio/<id:pk>/capaciteit/", region.capacity_view, name="capacity"),
    path(
        "regio/<id:pk>/capaciteit/vrijgeven/",
        region.capacity_release_view,
        name="capacity_release",
    ),
    path("regio/<id:pk>/trend/", region.trend, name="trend"),
    path("regio/<id:pk>/behoeften/", region.needs_view, name="needs"),
    path("regio/<id:pk>/adviezen/", recommendations.recommendations, name="recommendations"),
    path(
        "regio/<id:pk>/adviezen/<id:item_pk>/<slug:role_key>/",
        recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path("regio/<id:pk>/export/", exports.export_request, name="export_request"),
    path("regio/<id:pk>/exports/", exports.exports, name="exports"),
    path("exports/<id:pk>/", exports.export_download, name="export_download"),
    path("zelfevaluaties/<id:pk>/hiaten.xlsx", organisation.gaps_excel, name="gaps_excel"),
    path(
        "regio/<id:pk>/afhankelijkheden/",
        dependencies.region_dependencies,
        name="region_dependencies",
    ),
    path(
        "organisaties/<id:pk>/afhankelijkheden/",
        dependencies.organisation_dependencies,
        name="dependencies",
    ),
    path(
        "organisaties/<id:pk>/afhankelijkheden/nieuw/",
        dependencies.dependency_edit,
        name="dependency_new",
    ),
    path(
        "organisaties/<id:pk>/afhankelijkheden/<id:dependency_pk>/",
        dependencies.dependency_edit,
        name="dependency_edit",
    ),
    path("organisaties/<id:pk>/verbeterplan/", plan.plan, name="plan"),
    path("organisaties/<id:pk>/verbeterplan/nieuw/", plan.action_new, name="action_new"),
    path(
        "organisaties/<id:pk>/verbeterplan/<id:action_pk>/",
        plan.action_edit,
        name="action_edit",
    ),
]
