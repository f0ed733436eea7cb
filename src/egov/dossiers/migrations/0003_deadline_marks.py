# The marks of the deadline sweep (dossiers.tasks.sweep_deadlines).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_seed_clock_rule_2018"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="deadline_flag",
            field=models.CharField(
                blank=True,
                choices=[("due_soon", "Due soon"), ("overdue", "Overdue")],
                max_length=10,
                verbose_name="deadline",
            ),
        ),
        migrations.AddField(
            model_name="dossier",
            name="deadline_flag_due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="dossier",
            name="deadline_flagged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="dossierstep",
            name="late_flagged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["deadline_flag", "processing_agency"], name="dossiers_deadline_idx"),
        ),
    ]
