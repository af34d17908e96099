from django.apps import AppConfig


class RecallConfig(AppConfig):
    name = "tracker.recall"
    label = "recall"
