from django.urls import path

from . import round_views, views

app_name = "assessments"
urlpatterns = [
    path("uitvragen/", round_views.round_list, name="rounds"),
    path("uitvragen/nieuw/", round_views.round_create, name="round_create"),
    path("uitvragen/openen/<int:pk>/", round_views.round_opening, name="round_opening"),
    path(
        "uitvragen/openen/<int:pk>/opnieuw/",
        round_views.round_opening_retry,
        name="round_opening_retry",
    ),
    path("uitvragen/<int:pk>/", round_views.round_detail, name="round"),
    path("zelfevaluaties/<int:pk>/", views.assessment_detail, name="detail"),
    path("zelfevaluaties/<int:pk>/status/", views.transition, name="transition"),
    path("zelfevaluaties/<int:pk>/vragen/<str:code>/", views.answer, name="answer"),
    path("zelfevaluaties/<int:pk>/vragen/<str:code>/opmerkingen/", views.comment, name="comment"),
    path(
        "zelfevaluaties/<int:pk>/vragen/<str:code>/bewijs/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path("bewijs/<int:pk>/", views.evidence_download, name="evidence"),
    path("zelfevaluaties/<int:pk>/vragen/<str:code>/toewijzen/", views.assign, name="assign"),
    path("zelfevaluaties/<int:pk>/excel/", views.excel_export, name="excel_export"),
    path("zelfevaluaties/<int:pk>/excel/import/", views.excel_import, name="excel_import"),
    path(
        "zelfevaluaties/<int:pk>/excel/import/bevestigen/",
        views.excel_import_confirm,
        name="excel_import_confirm",
    ),
    path("mijn-vragen/", views.mine, name="mine"),
]
