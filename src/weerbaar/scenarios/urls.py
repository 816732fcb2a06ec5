from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.scenarios import views

app_name = "scenarios"
urlpatterns = [
    path("organisaties/<id:pk>/stroomafhankelijk/", views.clients, name="clients"),
    path("stroomafhankelijk/<id:pk>/verwijderen/", views.clients_remove, name="clients_remove"),
    path("regio/<id:pk>/scenarios/", views.scenario_list, name="list"),
    path("regio/<id:pk>/scenarios/preset/<slug:key>/", views.preset, name="preset"),
    path(
        "regio/<id:pk>/scenarios/preset/<slug:key>/rapport.pdf", views.preset_pdf, name="preset_pdf"
    ),
    path("regio/<id:pk>/scenarios/kopie/", views.scenario_copy, name="copy"),
    path("regio/<id:pk>/scenarios/vergelijk/", views.compare, name="compare"),
    path("scenarios/<id:pk>/", views.scenario, name="scenario"),
    path("scenarios/<id:pk>/bewerken/", views.scenario_edit, name="edit"),
    path("scenarios/<id:pk>/verwijderen/", views.scenario_remove, name="remove"),
    path("scenarios/<id:pk>/rapport.pdf", views.scenario_pdf, name="pdf"),
    path("scenarios/<id:pk>/scenario.json", views.scenario_json, name="json"),
]
