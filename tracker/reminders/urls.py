from django.urls import path

from tracker.reminders import views

app_name = "reminders"
urlpatterns = [
    path("preview/", views.preview, name="preview"),
    path("preview/email.html", views.preview_html, name="preview_html"),
    path("test/", views.send_test, name="send_test"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
