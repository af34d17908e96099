from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "tracker.portfolio"
    label = "portfolio"
