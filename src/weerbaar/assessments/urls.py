from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)

from . import round_views, views

app_name = "assessments"
urlpatterns = [
    path("uitvragen/", round_views.round_list, name="rounds"),
    path("uitvragen/nieuw/", round_views.round_create, name="round_create"),
    path("uitvragen/openen/<id:pk>/", round_views.round_opening, name="round_opening"),
    path(
        "uitvragen/openen/<id:pk>/opnieuw/",
        round_views.round_opening_retry,
        name="round_opening_retry",
    ),
    path("uitvragen/<id:pk>/", round_views.round_detail, name="round"),
    path("zelfevaluaties/<id:pk>/", views.assessment_detail, name="detail"),
    path("zelfevaluaties/<id:pk>/stap/<slug:name>/", views.step, name="step"),
    path("zelfevaluaties/<id:pk>/vragen/<str:code>/", views.answer, name="answer"),
    path("zelfevaluaties/<id:pk>/vragen/<str:code>/opmerkingen/", views.comment, name="comment"),
    path(
        "zelfevaluaties/<id:pk>/vragen/<str:code>/bewijs/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path("bewijs/<id:pk>/", views.evidence_download, name="evidence"),
    path("bewijs/<id:pk>/verwijderen/", views.evidence_remove, name="evidence_remove"),
    path("zelfevaluaties/<id:pk>/vragen/<str:code>/toewijzen/", views.assign, name="assign"),
    path("zelfevaluaties/<id:pk>/excel/", views.excel_export, name="excel_export"),
    path("zelfevaluaties/<id:pk>/excel/import/", views.excel_import, name="excel_import"),
    path(
        "zelfevaluaties/<id:pk>/excel/import/bevestigen/",
        views.excel_import_confirm,
        name="excel_import_confirm",
    ),
    path("mijn-vragen/", views.mine, name="mine"),
]
