from django.urls import path

from .views import dependencies, exports, organisation, plan, recommendations, region

app_name = "insights"
urlpatterns = [
    path("zelfevaluaties/<int:pk>/hiaten/", organisation.gaps, name="gaps"),
    path("zelfevaluaties/<int:pk>/rapport.pdf", organisation.report, name="report"),
    path("regio/<int:pk>/heatmap/", region.heatmap, name="heatmap"),
    path("regio/<int:pk>/normen/", region.norms, name="norms"),
    path("regio/<int:pk>/capaciteit/", region.capacity_view, name="capacity"),
    path(
        "regio/<int:pk>/capaciteit/vrijgeven/",
        region.capacity_release_view,
        name="capacity_release",
    ),
    path("regio/<int:pk>/trend/", region.trend, name="trend"),
    path("regio/<int:pk>/behoeften/", region.needs_view, name="needs"),
    path("regio/<int:pk>/adviezen/", recommendations.recommendations, name="recommendations"),
    path(
        "regio/<int:pk>/adviezen/<int:item_pk>/<slug:role_key>/",
        recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path("regio/<int:pk>/export/", exports.export_request, name="export_request"),
    path("regio/<int:pk>/exports/", exports.exports, name="exports"),
    path("exports/<int:pk>/", exports.export_download, name="export_download"),
    path("zelfevaluaties/<int:pk>/hiaten.xlsx", organisation.gaps_excel, name="gaps_excel"),
    path(
        "regio/<int:pk>/afhankelijkheden/",
        dependencies.region_dependencies,
        name="region_dependencies",
    ),
    path(
        "organisaties/<int:pk>/afhankelijkheden/",
        dependencies.organisation_dependencies,
        name="dependencies",
    ),
    path(
        "organisaties/<int:pk>/afhankelijkheden/nieuw/",
        dependencies.dependency_edit,
        name="dependency_new",
    ),
    path(
        "organisaties/<int:pk>/afhankelijkheden/<int:dependency_pk>/",
        dependencies.dependency_edit,
        name="dependency_edit",
    ),
    path("organisaties/<int:pk>/verbeterplan/", plan.plan, name="plan"),
    path("organisaties/<int:pk>/verbeterplan/nieuw/", plan.action_new, name="action_new"),
    path(
        "organisaties/<int:pk>/verbeterplan/<int:action_pk>/",
        plan.action_edit,
        name="action_edit",
    ),
]
