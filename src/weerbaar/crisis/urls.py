from django.urls import path

from weerbaar import ids  # noqa: F401  (registers the <id:…> converter)
from weerbaar.crisis import contact_views, message_views, status_views, views

app_name = "crisis"
urlpatterns = [
    path("organisaties/<id:pk>/incidenten/", views.incident_list, name="incidents"),
    path("organisaties/<id:pk>/incidenten/nieuw/", views.incident_new, name="incident_new"),
    path("organisaties/<id:pk>/oefeningen/", views.exercises, name="exercises"),
    path("organisaties/<id:pk>/situatie/", status_views.reports, name="reports"),
    path("organisaties/<id:pk>/situatie/nieuw/", status_views.report_new, name="report_new"),
    path("organisaties/<id:pk>/ondersteuning/nieuw/", status_views.support_new, name="support_new"),
    path(
        "organisaties/<id:pk>/bedden.have.xml",
        status_views.beds_export,
        {"kind": "have"},
        name="beds_have",
    ),
    path(
        "organisaties/<id:pk>/bedden.csv",
        status_views.beds_export,
        {"kind": "csv"},
        name="beds_csv",
    ),
    path(
        "regio/<id:pk>/bedden.have.xml",
        status_views.region_beds_export,
        {"kind": "have"},
        name="region_beds_have",
    ),
    path(
        "regio/<id:pk>/bedden.csv",
        status_views.region_beds_export,
        {"kind": "csv"},
        name="region_beds_csv",
    ),
    path("ondersteuning/<id:pk>/", status_views.support_detail, name="support"),
    path("incidenten/<id:pk>/", views.incident_detail, name="incident"),
    path("incidenten/<id:pk>/disbalansen/", views.disbalans_activate, name="activate"),
    path("incidenten/<id:pk>/stappen/<str:code>/", views.step_update, name="step"),
    path("incidenten/<id:pk>/logboek/", views.log_add, name="log"),
    path("incidenten/<id:pk>/afsluiten/", views.incident_close, name="close"),
    path("regio/<id:pk>/crisisbeeld/", status_views.picture_view, name="picture"),
    path(
        "regio/<id:pk>/crisisbeeld/oefening/",
        status_views.picture_view,
        {"exercise": True},
        name="picture_exercise",
    ),
    path("regio/<id:pk>/crisisbeeld/interval/", status_views.interval_set, name="interval"),
    path("regio/<id:pk>/berichten/", message_views.message_list, name="messages"),
    path("berichten/<id:pk>/", message_views.message_detail, name="message"),
    path("berichten/<id:pk>/bevestigen/", message_views.message_acknowledge, name="message_ack"),
    path("organisaties/<id:pk>/bereikbaarheid/", contact_views.contact_list, name="contacts"),
    path(
        "organisaties/<id:org>/bereikbaarheid/nieuw/",
        contact_views.contact_edit,
        name="contact_new",
    ),
    path(
        "organisaties/<id:pk>/bereikbaarheid/bevestigen/",
        contact_views.contacts_confirm,
        name="contacts_confirm",
    ),
    path("contacten/<id:pk>/", contact_views.contact_edit, name="contact_edit"),
    path("contacten/<id:pk>/verwijderen/", contact_views.contact_remove, name="contact_remove"),
    path("regio/<id:pk>/bereikbaarheid/", contact_views.region_contacts, name="region_contacts"),
    path(
        "organisaties/<id:pk>/offline-pakket.pdf", contact_views.offline_pack, name="offline_pack"
    ),
    path("regio/<id:pk>/offline-pakket.pdf", contact_views.region_pack_view, name="region_pack"),
    path(
        "regionale-contacten/<id:pk>/verwijderen/",
        contact_views.regional_contact_remove,
        name="regional_contact_remove",
    ),
    path(
        "regio/<id:pk>/bereikbaarheid/termijn/",
        contact_views.confirm_months,
        name="contact_months",
    ),
]
