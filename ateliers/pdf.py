"""What the printed documents of ateliers show, read in a fixed number of queries (ADR 0013).

Each function takes the document's source object and returns plain values only: the template
prints them and queries nothing.
"""

from typing import Any

from django.db.models import Prefetch

from ateliers.models import Atelier, Evenement
from territoires.models import Departement


def _nom(organisation: Any) -> str:
    return organisation.nom if organisation is not None else ""


def contexte_fiche(atelier: Atelier) -> dict[str, Any]:
    """The fiche atelier (pdf/fiche_atelier.html): the atelier, its porteurs, its territory
    and its whole journal, in five queries whatever their number."""
    atelier = (
        Atelier.objects.select_related("service_pilote", "operateur", "groupement")
        .prefetch_related(
            "collectivites",
            "epcis",
            Prefetch("departements", queryset=Departement.objects.select_related("region")),
            Prefetch("journal", queryset=Evenement.objects.select_related("par", "organisation")),
        )
        .get(pk=atelier.pk)
    )
    return {
        "atelier": {
            "reference": atelier.reference,
            "intitule": atelier.intitule,
            "phase": atelier.get_phase_display(),
            "phase_depuis": atelier.phase_depuis,
            "motif_sortie": atelier.motif_sortie,
            "cree_le": atelier.cree_le,
            "debut_accompagnement": atelier.debut_accompagnement,
            "fin_accompagnement": atelier.fin_accompagnement,
            "collectivites": [c.nom for c in atelier.collectivites.all()],
            "service_pilote": _nom(atelier.service_pilote),
            "operateur": _nom(atelier.operateur),
            "groupement": _nom(atelier.groupement),
            "departements": [
                {"nom": d.nom, "code": d.code, "region": d.region.nom}
                for d in atelier.departements.all()
            ],
            "epcis": [e.nom for e in atelier.epcis.all()],
            "communes": atelier.communes,
        },
        "journal": [
            {
                "date": e.date,
                "par": e.par.get_full_name() if e.par is not None else None,
                "organisation": _nom(e.organisation),
                "libelle": e.libelle,
                "commentaire": e.commentaire,
            }
            for e in atelier.journal.all()
        ],
    }
