from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "weerbaar.api"
    verbose_name = "API"
