"""Documents asked for before their app named a context function (ADR 0013): each gets the one
its template now reads from, so that a failed render may still be asked again. These paths are
data frozen with the rows, as in any migration: `documents` imports none of these apps."""

from django.db import migrations

CONTEXTES = {
    "pdf/fiche_atelier.html": "ateliers.pdf.contexte_fiche",
    "pdf/dossier_candidature.html": "candidatures.pdf.contexte_dossier",
    "pdf/courrier_engagement_service.html": "candidatures.pdf.contexte_courrier",
    "pdf/courrier_soutien_collectivites.html": "candidatures.pdf.contexte_courrier",
    "pdf/courrier_soutien_prefet.html": "candidatures.pdf.contexte_courrier",
    "pdf/decision_eligibilite.html": "candidatures.pdf.contexte_decision",
}


def nommer_les_contextes(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    for gabarit, contexte in CONTEXTES.items():
        Document.objects.filter(gabarit=gabarit, contexte="").update(contexte=contexte)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_document_contexte"),
    ]

    operations = [
        migrations.RunPython(nommer_les_contextes, migrations.RunPython.noop, elidable=True),
    ]
