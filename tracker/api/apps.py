from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tracker.api"
    label = "api"
    verbose_name = "API tokens and the REST API"
