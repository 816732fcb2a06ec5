from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.insights.views import exports, organisation, region

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
    path("regio/<id:pk>/export/", exports.export_request, name="export_request"),
    path("regio/<id:pk>/exports/", exports.exports, name="exports"),
    path("exports/<id:pk>/", exports.export_download, name="export_download"),
    path("zelfevaluaties/<id:pk>/hiaten.xlsx", organisation.gaps_excel, name="gaps_excel"),
]
