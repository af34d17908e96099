from django.contrib import admin

from tracker.projects.models import Project, WorkSession


class WorkSessionInline(admin.TabularInline):
    model = WorkSession
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "kind", "status", "started_on", "finished_on", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "owner__email"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["papers"]
    inlines = [WorkSessionInline]


@admin.register(WorkSession)
class WorkSessionAdmin(admin.ModelAdmin):
    list_display = ["project", "date", "minutes"]
    list_filter = ["date"]
    search_fields = ["project__title", "note"]
    raw_id_fields = ["project"]
