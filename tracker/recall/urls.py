from django.urls import path

from tracker.recall import views

app_name = "recall"
urlpatterns = [
    path("", views.review, name="review"),
    path("prompts/<int:pk>/show/", views.show, name="show"),
    path("prompts/<int:pk>/rate/", views.rate_prompt, name="rate"),
    path("prompts/<int:pk>/edit/", views.edit, name="edit"),
    path("prompts/<int:pk>/delete/", views.delete, name="delete"),
    path("prompts/<int:pk>/move/", views.move, name="move"),
    path("papers/<int:paper_pk>/prompts/", views.prompts, name="prompts"),
]
