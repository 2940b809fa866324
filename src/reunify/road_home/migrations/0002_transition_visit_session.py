# A transition visit points at its family-time session (ADR 0010). Visits planned before keep no
# session: they stay listed but do not count toward starting the trial home visit.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("family_time", "0005_session_kind"),
        ("road_home", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="transitionvisit",
            name="session",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="transition_visit",
                to="family_time.familytimesession",
                verbose_name="family-time session",
            ),
        ),
        migrations.AddField(
            model_name="historicaltransitionvisit",
            name="session",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="family_time.familytimesession",
                verbose_name="family-time session",
            ),
        ),
    ]
