"""Stable HSDS ids for organisations and offers, and the offer's last-changed stamp.

Existing rows each get their own uuid (a callable default in AddField would give every row the same
one), then the field becomes unique."""

import uuid

import django.utils.timezone
from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    for model_name in ("Organisation", "Offer"):
        model = apps.get_model("partners", model_name)
        for pk in model.objects.filter(uuid__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_need_domains"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="identifier"),
        ),
        migrations.AddField(
            model_name="offer",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="identifier"),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="identifier"),
        ),
        migrations.AlterField(
            model_name="offer",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="identifier"),
        ),
        migrations.AddField(
            model_name="offer",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="last changed"
            ),
            preserve_default=False,
        ),
    ]
