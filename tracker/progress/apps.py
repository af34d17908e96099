from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tracker.progress"
    label = "progress"
