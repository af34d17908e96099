from django.urls import path

from tracker.replications import views

app_name = "replications"
urlpatterns = [
    path("", views.replication_list, name="list"),
    path("new/", views.replication_create, name="create"),
    path("paper/<int:paper_pk>/", views.for_paper, name="for_paper"),
    path("<int:pk>/", views.replication_detail, name="detail"),
    path("<int:pk>/delete/", views.replication_delete, name="delete"),
    path("<int:pk>/claims/", views.claim_add, name="claim_add"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/delete/", views.claim_delete, name="claim_delete"),
]
