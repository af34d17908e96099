from django.urls import path

from tracker.portfolio import views

app_name = "portfolio"
PUBLISH = "portfolio/publish"
urlpatterns = [
    path("portfolio/settings/", views.settings_view, name="settings"),
    path(
        "portfolio/share/regenerate/",
        views.share_link,
        {"action": "regenerate"},
        name="share_regenerate",
    ),
    path("portfolio/share/revoke/", views.share_link, {"action": "revoke"}, name="share_revoke"),
    path(f"{PUBLISH}/paper/<int:pk>/", views.publish, {"kind": "paper"}, name="publish_paper"),
    path(
        f"{PUBLISH}/paper/<int:pk>/summary/",
        views.publish,
        {"kind": "summary"},
        name="publish_summary",
    ),
    path(
        f"{PUBLISH}/replication/<int:pk>/",
        views.publish,
        {"kind": "replication"},
        name="publish_replication",
    ),
    path(
        f"{PUBLISH}/project/<int:pk>/", views.publish, {"kind": "project"}, name="publish_project"
    ),
    path("u/<str:handle>/", views.public_page, name="public"),
    path("u/<str:handle>/badge.svg", views.badge, name="badge"),
    path("s/<str:secret>/", views.shared_page, name="shared"),
]
