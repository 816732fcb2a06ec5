from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.scenarios import views

app_name = "scenarios"
urlpatterns = [
    path("organisaties/<id:pk>/stroomafhankelijk/", views.clients, name="clients"),
    path("stroomafhankelijk/<id:pk>/verwijderen/", views.clients_remove, name="clients_remove"),
]
