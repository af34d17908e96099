from django.urls import path

from tracker.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_list, name="list"),
    path("new/", views.goal_create, name="create"),
    path("adopt/", views.adopt, name="adopt"),
    path("<int:pk>/edit/", views.goal_edit, name="edit"),
    path("<int:pk>/delete/", views.goal_delete, name="delete"),
    path("<int:pk>/increment/", views.increment, name="increment"),
    path("breaks/", views.break_create, name="break_create"),
    path("breaks/<int:pk>/delete/", views.break_delete, name="break_delete"),
]
