from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "tracker.goals"
    label = "goals"
