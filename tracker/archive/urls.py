from django.urls import path

from tracker.archive import views

app_name = "archive"
urlpatterns = [
    path("export/", views.export_start, name="export"),
    path("export/status/", views.export_status, name="export_status"),
    path("download/<str:token>/", views.download, name="download"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
]
