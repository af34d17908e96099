from django.urls import path

from tracker.niche import views

app_name = "niche"
urlpatterns = [
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("interactions/<int:pk>/replied/", views.interaction_replied, name="replied"),
]
