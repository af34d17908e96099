from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.views import login
from tracker import views
from tracker.api.api import api
from tracker.api.views import manifest

# Admin login goes through allauth's (rate-limited, MFA-aware) login (A4).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Paperstreak admin"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", login, name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("account/api-tokens/", include("tracker.api.urls")),
    path("account/", include("accounts.urls")),
    path("api/v1/", api.urls),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("account/archive/", include("tracker.archive.urls")),
    path("calendar/", include("tracker.ical.urls")),
    path("papers/", include("tracker.papers.urls")),
    path("replications/", include("tracker.replications.urls")),
    path("projects/", include("tracker.projects.urls")),
    path("goals/", include("tracker.goals.urls")),
    path("niche/", include("tracker.niche.urls")),
    path("reminders/", include("tracker.reminders.urls")),
    path("", include("tracker.portfolio.urls")),
    path("recall/", include("tracker.recall.urls")),
    path("", include("tracker.dashboard.urls")),
]
