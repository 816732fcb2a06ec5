from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/functionarissen/", views.organisation_functionaries, name="functionaries"),
    path("<int:pk>/uitnodigen/<int:user_pk>/", views.organisation_invite, name="invite"),
]
