"""What the printed documents of marchés show, read in a fixed number of queries (ADR 0013).

Each function takes the document's source object and returns plain values only: the template
prints them and queries nothing."""

from typing import Any

from marches.models import VersionCctp
from marches.pdf_analyse import contexte_lettre, contexte_rapport_analyse
from marches.selectors.cctp import date_limite_lisible, lire_contenu_fige, nombre_lisible


def contexte_cctp(version: VersionCctp) -> dict[str, Any]:
    """A published version of the CCTP (pdf/cctp.html): its frozen parts, its grid and the
    consultation it belongs to, in two queries."""
    version = VersionCctp.objects.select_related(
        "marche__atelier", "marche__accord_cadre", "consultation"
    ).get(pk=version.pk)
    marche, consultation = version.marche, version.consultation
    return {
        "marche": {
            "reference": marche.reference,
            "objet": marche.objet,
            "atelier": marche.atelier.intitule,
            "accord_cadre": f"{marche.accord_cadre.reference} — {marche.accord_cadre.intitule}",
            "code_cpv": marche.accord_cadre.code_cpv,
        },
        "version": {
            "numero": version.numero,
            "publiee_le": version.publiee_le,
            "rectificatif": version.rectificatif,
            "formule_prix": version.get_formule_prix_display(),
            "note_maximale": version.note_maximale,
        },
        "consultation": {
            "numero": consultation.numero,
            "reference_place": consultation.reference_place,
            "date_limite": date_limite_lisible(consultation.date_limite),
        },
        "parties": lire_contenu_fige(version.contenu),
        "criteres": [
            {
                "libelle": c.libelle,
                "poids": nombre_lisible(c.poids),
                "sous_critere": c.parent_id is not None,
                "est_prix": c.est_prix,
            }
            for c in version.criteres.order_by("ordre")
        ],
    }


# The analysis's documents are written in marches/pdf_analyse.py and named here, where
# documents looks for them.
__all__ = ["contexte_cctp", "contexte_lettre", "contexte_rapport_analyse"]
