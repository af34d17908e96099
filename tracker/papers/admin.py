from django.contrib import admin

from tracker.papers.models import Paper, PendingImport, ReadingSession, Topic


class ReadingSessionInline(admin.TabularInline):
    model = ReadingSession
    extra = 0


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "year", "arxiv_id", "doi", "finished_on"]
    list_filter = ["status", "depth"]
    search_fields = ["title", "authors", "arxiv_id", "doi", "owner__email"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["topics"]
    date_hierarchy = "added_on"
    inlines = [ReadingSessionInline]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_focus"]
    list_filter = ["is_focus"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]


@admin.register(ReadingSession)
class ReadingSessionAdmin(admin.ModelAdmin):
    list_display = ["paper", "date", "minutes"]
    raw_id_fields = ["paper"]
    date_hierarchy = "date"


@admin.register(PendingImport)
class PendingImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "owner", "status", "to_create", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["owner"]
    # The stored plan can be megabytes of JSON; the counts and status say what it holds.
    exclude = ["content", "plan"]
