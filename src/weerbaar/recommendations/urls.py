from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("regio/<id:pk>/adviezen/", views.recommendations, name="recommendations"),
    path(
        "regio/<id:pk>/adviezen/<id:item_pk>/<slug:role_key>/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
]
