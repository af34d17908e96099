from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "tracker.archive"
    label = "archive"
    verbose_name = "Account archive"
