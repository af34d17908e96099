from django.urls import path

from tracker.papers.views import add_anywhere, library, reading, topics, transfer

app_name = "papers"
urlpatterns = [
    path("", library.library, name="library"),
    path("add/", add_anywhere.add, name="quick_add"),
    path("new/", library.create, name="create"),
    path("read/", reading.mark_read, name="mark_read"),
    path("queue/", reading.queue, name="queue"),
    path("topics/", topics.topics, name="topics"),
    path("topics/<int:pk>/", topics.topic, name="topic"),
    path("topics/<int:pk>/focus/", topics.topic_focus, name="topic_focus"),
    path("import/", transfer.import_upload, name="import"),
    path("import/<int:pk>/", transfer.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", transfer.import_confirm, name="import_confirm"),
    path("import/<int:pk>/progress/", transfer.import_progress, name="import_progress"),
    path("export.bib", transfer.export_bibtex, name="export_bibtex"),
    path("export.csv", transfer.export_csv, name="export_csv"),
    path("sessions/<int:pk>/edit/", reading.edit_session, name="edit_session"),
    path("sessions/<int:pk>/delete/", reading.delete_session, name="delete_session"),
    path("<int:pk>/", reading.detail, name="detail"),
    path("<int:pk>/edit/", library.edit, name="edit"),
    path("<int:pk>/delete/", library.delete, name="delete"),
    path("<int:pk>/status/", reading.change_status, name="status"),
    path("<int:pk>/read/", reading.mark_read, name="mark_read_paper"),
    path("<int:pk>/sessions/", reading.add_session, name="add_session"),
    path("<int:pk>/move/<str:direction>/", reading.move, name="move"),
]
