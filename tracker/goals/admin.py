from django.contrib import admin

from tracker.goals.models import CounterEvent, Goal, GoalTarget, WeekBreak


class GoalTargetInline(admin.TabularInline):
    model = GoalTarget
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "metric", "period", "target", "active"]
    list_filter = ["metric", "period", "active"]
    raw_id_fields = ["owner"]
    inlines = [GoalTargetInline]


@admin.register(WeekBreak)
class WeekBreakAdmin(admin.ModelAdmin):
    list_display = ["owner", "week_start"]
    raw_id_fields = ["owner"]


@admin.register(CounterEvent)
class CounterEventAdmin(admin.ModelAdmin):
    list_display = ["goal", "date"]
    raw_id_fields = ["goal"]
