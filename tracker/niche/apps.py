from django.apps import AppConfig


class NicheConfig(AppConfig):
    name = "tracker.niche"
    label = "niche"
