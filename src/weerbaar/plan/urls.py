from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.plan import views

app_name = "plan"
urlpatterns = [
    path("organisaties/<id:pk>/verbeterplan/", views.plan, name="plan"),
    path("organisaties/<id:pk>/verbeterplan/nieuw/", views.action_new, name="action_new"),
    path(
        "organisaties/<id:pk>/verbeterplan/<id:action_pk>/",
        views.action_edit,
        name="action_edit",
    ),
]
