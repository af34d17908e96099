from django.urls import path

from tracker.ical import views

app_name = "ical"
urlpatterns = [
    path("settings/", views.settings_section, name="settings"),
    path("settings/regenerate/", views.regenerate, name="regenerate"),
    path("<str:token>.ics", views.feed, name="feed"),
]
