from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "tracker.projects"
    label = "projects"
