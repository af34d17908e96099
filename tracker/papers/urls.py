from django.urls import path

from tracker.papers import views

app_name = "papers"
urlpatterns = [
    path("", views.library, name="library"),
    path("add/", views.quick_add, name="quick_add"),
    path("new/", views.create, name="create"),
    path("read/", views.mark_read, name="mark_read"),
    path("queue/", views.queue, name="queue"),
    path("topics/", views.topics, name="topics"),
    path("topics/<int:pk>/", views.topic, name="topic"),
    path("topics/<int:pk>/focus/", views.topic_focus, name="topic_focus"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("export.bib", views.export_bibtex, name="export_bibtex"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("sessions/<int:pk>/edit/", views.edit_session, name="edit_session"),
    path("sessions/<int:pk>/delete/", views.delete_session, name="delete_session"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/read/", views.mark_read, name="mark_read_paper"),
    path("<int:pk>/sessions/", views.add_session, name="add_session"),
    path("<int:pk>/move/<str:direction>/", views.move, name="move"),
]
