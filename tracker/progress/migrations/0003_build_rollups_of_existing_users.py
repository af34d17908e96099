"""Fill the rollups of the users who existed before them (0001 created the tables empty).

Uses the live rollup code rather than historical models, because the rollups are defined
by the app's own metric queries; on a fresh database there are no users and nothing runs.
Afterwards, or at any time, ``manage.py rebuild_rollups`` does the same.
"""

from django.db import migrations


def build(apps, schema_editor):
    from django.contrib.auth import get_user_model

    from tracker.progress import rollups

    for user_id in get_user_model().objects.values_list("pk", flat=True).iterator():
        rollups.rebuild(user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_rollup_expert_conversations"),
        ("niche", "0001_contacts"),
        ("papers", "0003_paper_source"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
