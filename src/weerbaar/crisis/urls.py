from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.crisis import views

app_name = "crisis"
urlpatterns = [
    path("organisaties/<id:pk>/incidenten/", views.incident_list, name="incidents"),
    path("organisaties/<id:pk>/incidenten/nieuw/", views.incident_new, name="incident_new"),
    path("organisaties/<id:pk>/oefeningen/", views.exercises, name="exercises"),
    path("incidenten/<id:pk>/", views.incident_detail, name="incident"),
    path("incidenten/<id:pk>/disbalansen/", views.disbalans_activate, name="activate"),
    path("incidenten/<id:pk>/stappen/<str:code>/", views.step_update, name="step"),
    path("incidenten/<id:pk>/logboek/", views.log_add, name="log"),
    path("incidenten/<id:pk>/afsluiten/", views.incident_close, name="close"),
]
