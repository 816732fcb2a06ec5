from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<id:pk>/", views.organisation_detail, name="detail"),
    path("<id:pk>/functionarissen/", views.organisation_functionaries, name="functionaries"),
    path("<id:pk>/uitnodigen/<id:user_pk>/", views.organisation_invite, name="invite"),
]
