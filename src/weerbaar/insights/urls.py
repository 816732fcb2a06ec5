from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("zelfevaluaties/<int:pk>/hiaten/", views.gaps, name="gaps"),
]
