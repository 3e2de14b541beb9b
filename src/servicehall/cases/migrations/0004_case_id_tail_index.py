from django.db import migrations, models


def fill_tail_index(apps, schema_editor):
    """Existing cases get the keyed hash of their ID number's or credit code's last 6
    characters (the encrypted field decrypts on load, in the historical model too)."""
    from servicehall.core.fields import tail_index

    Case = apps.get_model("cases", "Case")
    rows = (Case.objects.exclude(applicant_id_number="", credit_code="")
            .only("pk", "applicant_id_number", "credit_code").order_by("pk"))
    batch = []
    for case in rows.iterator(chunk_size=2000):
        case.id_tail_index = tail_index(case.applicant_id_number or case.credit_code)
        batch.append(case)
        if len(batch) == 2000:
            Case.objects.bulk_update(batch, ["id_tail_index"])
            batch = []
    if batch:
        Case.objects.bulk_update(batch, ["id_tail_index"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_case_applicant_account'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='id_tail_index',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(fill_tail_index, migrations.RunPython.noop, elidable=True),
    ]
