from django.urls import path

from tracker.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path("<int:pk>/checklist/", views.checklist_set, name="checklist"),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
]
