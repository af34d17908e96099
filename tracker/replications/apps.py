from django.apps import AppConfig


class ReplicationsConfig(AppConfig):
    name = "tracker.replications"
    label = "replications"
