from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "tracker.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from tracker.reminders.signals import user_saved

        post_save.connect(
            user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="reminders.user_saved"
        )
