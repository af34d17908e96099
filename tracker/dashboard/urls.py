from django.urls import path

from tracker.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("cards/<slug:name>/", views.card, name="card"),
]
