from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("delete/", views.delete_account, name="delete"),
]
