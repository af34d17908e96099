from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the app and for the benchmarks; no models of its own."""

    name = "tracker.demo"
    label = "demo"
