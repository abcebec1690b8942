"""What the printed documents of candidatures show, read in a fixed number of queries
(ADR 0013): the dossier of a deposited version, the three model letters, the decision letter.

Each function takes the document's source object and returns plain values only: the template
prints them and queries nothing.
"""

from typing import Any

from candidatures.models import Candidature, Decision, VersionCandidature
from candidatures.selectors import donnees_courriers


def contexte_dossier(version: VersionCandidature) -> dict[str, Any]:
    """The dossier of a deposited version (pdf/dossier_candidature.html): its frozen content
    as it was deposited, in one query."""
    version = VersionCandidature.objects.select_related("candidature__atelier", "depose_par").get(
        pk=version.pk
    )
    atelier = version.candidature.atelier
    return {
        "atelier": {"reference": atelier.reference, "intitule": atelier.intitule},
        "version": {
            "numero": version.numero,
            "depose_le": version.depose_le,
            "depose_par": version.depose_par.get_full_name() if version.depose_par else None,
            "titre": version.contenu.get("titre", ""),
            "parties": version.contenu["parties"],
        },
    }


def contexte_courrier(candidature: Candidature) -> dict[str, Any]:
    """A model letter (pdf/courrier_*.html): exactly the data its version is the digest of
    (selectors.donnees_courriers), so that a version always prints the same letter."""
    return {"courrier": donnees_courriers(candidature)}


def contexte_decision(decision: Decision) -> dict[str, Any]:
    """The decision letter (pdf/decision_eligibilite.html): the decision and the atelier it
    is addressed to, in two queries."""
    decision = Decision.objects.select_related(
        "candidature__atelier__service_pilote", "decidee_par"
    ).get(pk=decision.pk)
    atelier = decision.candidature.atelier
    return {
        "decision": {
            "eligible": decision.eligible,
            "est_correction": decision.est_correction,
            "date_decision": decision.date_decision,
            "motivation": decision.motivation,
            "decidee_par": decision.decidee_par.get_full_name() if decision.decidee_par else None,
        },
        "atelier": {
            "reference": atelier.reference,
            "intitule": atelier.intitule,
            "collectivites": [c.nom for c in atelier.collectivites.all()],
            "service_pilote": atelier.service_pilote.nom if atelier.service_pilote else "",
        },
    }
