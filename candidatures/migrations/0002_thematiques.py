"""The programme's themes (domain.md, from the 2023 kit and the 2025 page); admins may add more."""

from django.db import migrations

THEMATIQUES = [
    ("transitions-territoriales", "Transitions territoriales et urbaines", "territoriales"),
    ("lois-nouvelles", "Projets liés aux lois récentes (Climat et résilience, industrie verte, "
     "accélération des énergies renouvelables…)", "territoriales"),
    ("etat-amenageur", "L'État aménageur et gestionnaire d'infrastructures (OIN, PPA)",
     "territoriales"),
    ("cooperation-territoriale", "Coopération et transaction territoriales", "territoriales"),
    ("transitions-societales", "Transitions culturelles, sociales, économiques et civiques",
     "societales"),
    ("activites", "Stratégies d'activités et de développement économique", "societales"),
    ("ecologie-culturelle", "Écologie culturelle", "societales"),
    ("transitions-environnementales", "Transitions environnementales et énergétiques",
     "environnementales"),
    ("risques", "Risques : érosion, inondation, sécheresse", "environnementales"),
    ("ressources-naturelles", "Ressources naturelles : eau, sols, air, biodiversité",
     "environnementales"),
]


def creer(apps, schema_editor):
    Thematique = apps.get_model("candidatures", "Thematique")
    for ordre, (code, libelle, famille) in enumerate(THEMATIQUES):
        Thematique.objects.update_or_create(
            code=code, defaults={"libelle": libelle, "famille": famille, "ordre": ordre}
        )


class Migration(migrations.Migration):
    dependencies = [("candidatures", "0001_initial")]
    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
