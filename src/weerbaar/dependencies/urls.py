from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.dependencies import views

app_name = "dependencies"
urlpatterns = [
    path(
        "regio/<id:pk>/afhankelijkheden/",
        views.region_dependencies,
        name="region_dependencies",
    ),
    path(
        "organisaties/<id:pk>/afhankelijkheden/",
        views.organisation_dependencies,
        name="dependencies",
    ),
    path(
        "organisaties/<id:pk>/afhankelijkheden/nieuw/",
        views.dependency_edit,
        name="dependency_new",
    ),
    path(
        "organisaties/<id:pk>/afhankelijkheden/<id:dependency_pk>/",
        views.dependency_edit,
        name="dependency_edit",
    ),
]
