from django.contrib import admin

from tracker.replications.models import Claim, Replication


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0


@admin.register(Replication)
class ReplicationAdmin(admin.ModelAdmin):
    list_display = ["paper", "owner", "status", "started_on", "finished_on", "updated_at"]
    list_filter = ["status"]
    search_fields = ["paper__title", "owner__email", "metric_name"]
    raw_id_fields = ["owner", "paper"]
    inlines = [ClaimInline]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "replication", "result"]
    list_filter = ["result"]
    search_fields = ["text"]
    raw_id_fields = ["replication"]
