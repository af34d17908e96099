from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tracker.progress"
    label = "progress"

    def ready(self) -> None:
        from tracker.progress import rollups

        rollups.connect()  # the rollups follow every write to what the cards count
