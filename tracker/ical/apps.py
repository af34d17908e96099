from django.apps import AppConfig


class IcalConfig(AppConfig):
    name = "tracker.ical"
    label = "ical"
    verbose_name = "Calendar feed"
