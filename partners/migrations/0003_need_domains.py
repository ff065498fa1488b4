from django.db import migrations

# The need domains of DESIGN.md §4, with their labels in the three languages.
NEED_DOMAINS = [
    ("school_costs", "Schoolkosten en materiaal", "Frais scolaires et matériel", "School costs and materials"),
    ("money_rights", "Geld, administratie en rechten", "Argent, démarches et droits", "Money, paperwork and rights"),
    ("housing", "Wonen", "Logement", "Housing"),
    ("parenting", "Opvoeding", "Parentalité", "Parenting"),
    ("health_wellbeing", "Gezondheid en welzijn", "Santé et bien-être", "Health and wellbeing"),
    ("learning_homework", "Leren en huiswerk", "Apprentissage et devoirs", "Learning and homework"),
    ("language", "Taal", "Langue", "Language"),
    ("leisure", "Vrije tijd en deelname", "Loisirs et participation", "Leisure and taking part"),
    ("digital", "Digitale toegang", "Accès numérique", "Digital access"),
    ("attendance", "Schoolaanwezigheid", "Présence à l'école", "School attendance"),
    ("behaviour", "Gedrag en sociaal-emotioneel", "Comportement et socio-émotionnel", "Behaviour and social-emotional"),
    ("other", "Andere", "Autre", "Other"),
]


def add_need_domains(apps, schema_editor):
    NeedDomain = apps.get_model("partners", "NeedDomain")
    for order, (code, nl, fr, en) in enumerate(NEED_DOMAINS, start=1):
        NeedDomain.objects.update_or_create(
            code=code, defaults={"label_nl": nl, "label_fr": fr, "label_en": en, "order": order * 10}
        )


def remove_need_domains(apps, schema_editor):
    apps.get_model("partners", "NeedDomain").objects.filter(code__in=[row[0] for row in NEED_DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_initial")]

    operations = [migrations.RunPython(add_need_domains, remove_need_domains)]
