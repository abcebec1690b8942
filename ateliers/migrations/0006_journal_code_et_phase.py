import pgtrigger
from django.db import migrations, models

# The codes of what ateliers itself journalled before the journal had codes; the lines of the
# transitions now owned by a stage (dépôt, décisions…) are filled by that stage's migration.
CODES = {
    "lancer_marche": "atelier.marche_lance",
    "demarrer_cadrage": "atelier.cadrage_demarre",
    "demarrer_session_1": "atelier.session_1_demarree",
    "demarrer_session_2": "atelier.session_2_demarree",
    "demarrer_session_3": "atelier.session_3_demarree",
    "demarrer_restitution": "atelier.restitution_demarree",
    "cloturer": "atelier.cloture",
    "abandonner": "atelier.abandonne",
}


def remplir(apps, schema_editor):
    Evenement = apps.get_model("ateliers", "Evenement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    type_atelier = ContentType.objects.filter(app_label="ateliers", model="atelier").first()
    if type_atelier is None:
        return
    lignes = Evenement.objects.filter(objet_type=type_atelier, code="")
    with pgtrigger.ignore("ateliers.Evenement:journal_ajout_seul"):
        lignes.filter(transition="", libelle="Pré-candidature ouverte").update(
            code="atelier.ouvert"
        )
        for transition, code in CODES.items():
            lignes.filter(transition=transition).update(code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("ateliers", "0005_journal_dernier_par_atelier"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="evenement",
            name="code",
            field=models.CharField(db_index=True, default="", max_length=64, verbose_name="code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="evenement",
            name="phase_apres",
            field=models.CharField(blank=True, max_length=32, verbose_name="phase après"),
        ),
        migrations.AddField(
            model_name="evenement",
            name="phase_avant",
            field=models.CharField(blank=True, max_length=32, verbose_name="phase avant"),
        ),
        migrations.RunPython(remplir, migrations.RunPython.noop, elidable=True),
    ]
