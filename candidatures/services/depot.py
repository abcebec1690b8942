"""The dépôt of the complete dossier, frozen as a numbered version."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from ateliers.models import Atelier, Phase
from ateliers.services import (
    ActionImpossible,
    atelier_reprendre_la_note,
    transition_appliquer,
)
from candidatures.models import (
    DEPOSER,
    Candidature,
    Courrier,
    VersionCandidature,
)
from candidatures.selectors import (
    DOSSIER_GABARIT,
    candidature_de,
    contenu_du_dossier,
    courriers_actuels,
    note_deposee,
    pieces_manquantes,
)
from candidatures.services._commun import _candidature_verrouillee, _lien
from comptes.models import Utilisateur
from comptes.selectors import courriels_dgaln
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import document_demander


class DossierIncomplet(ActionImpossible):
    """The dossier lacks something; `manquants` says what (see selectors.pieces_manquantes)."""

    def __init__(self, manquants: list[dict[str, Any]]) -> None:
        self.manquants = manquants
        super().__init__(
            "La candidature ne peut pas encore être déposée. Il manque : "
            + " ; ".join(m["libelle"] for m in manquants)
            + "."
        )


def candidature_deposer(
    *, candidature: Candidature, par: Utilisateur, vu: str, commentaire: str = ""
) -> VersionCandidature:
    """Deposit the complete dossier, in one transaction: the candidature becomes « déposée »,
    its content is frozen as the next numbered version, the atelier takes the note's title,
    territory and collectivités porteuses and moves to instruction (on the first dépôt only),
    then DGALN is told by e-mail and the dossier PDF (the note and the signed letters) is
    rendered once committed."""
    with transaction.atomic():
        candidature = _candidature_verrouillee(candidature)
        if not par.has_perm(DEPOSER, candidature):
            raise PermissionDenied("Seuls les porteurs de l'atelier déposent la candidature.")
        # Read again with everything the dossier needs; the row is locked, it is there.
        candidature = candidature_de(candidature.atelier) or candidature
        courriers = courriers_actuels(candidature)
        manquants = pieces_manquantes(candidature, courriers=courriers)
        if manquants:
            raise DossierIncomplet(manquants)
        atelier = candidature.atelier
        if atelier.phase not in (Phase.CANDIDATURE, Phase.INSTRUCTION):
            # A re-dépôt finds the atelier in instruction already; any other phase (abandoned…)
            # means the dossier has nowhere to go.
            raise ActionImpossible(
                f"L'atelier est à l'étape « {atelier.get_phase_display()} » : la candidature "
                "ne peut pas être déposée."
            )
        numero = (candidature.versions.aggregate(n=Max("numero"))["n"] or 0) + 1
        dans_l_ordre = [courriers[t] for t in Courrier.Type]
        version = VersionCandidature.objects.create(
            candidature=candidature,
            numero=numero,
            depose_par=par,
            contenu=contenu_du_dossier(candidature, dans_l_ordre),
        )
        # The atelier takes the note just frozen; the dépôt's one line says what changed.
        changements = _atelier_selon_la_note(atelier=atelier, par=par)
        # The first dépôt moves the atelier to instruction; a re-dépôt finds it there.
        candidature = transition_appliquer(
            objet=candidature,
            transition="deposer",
            par=par,
            vu=vu,
            phase="deposer" if atelier.phase == Phase.CANDIDATURE else "",
            commentaire="\n".join(
                [
                    commentaire.strip() or f"Version {numero}",
                    *(["L'atelier reprend la note déposée :", *changements] if changements else []),
                ]
            ),
        )
        atelier = candidature.atelier
        document_demander(
            source=version,
            gabarit=DOSSIER_GABARIT,
            contexte="candidatures.pdf.contexte_dossier",
            titre=f"Dossier de candidature {atelier.reference} — version {numero}",
            version=numero,
            par=par,
            annexes=[(c.get_type_display(), c.fichier) for c in dans_l_ordre],
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="candidature_deposee",
            contexte={"par": par, "atelier": atelier, "numero": numero, "lien": _lien(atelier)},
            destinataires=courriels_dgaln(),
        )
    return version


def _atelier_selon_la_note(*, atelier: Atelier, par: Utilisateur) -> list[str]:
    """The atelier updated from its note as just deposited (read back through note_deposee,
    as every later stage reads it); what changed."""
    note = note_deposee(atelier)
    if note is None:
        raise ValueError(f"{atelier.reference} : aucune version déposée.")
    territoire = note.territoire
    return atelier_reprendre_la_note(
        atelier=atelier,
        intitule=note.titre,
        departements=[d.code for d in territoire.departements],
        epcis=[e.siren for e in territoire.epcis],
        communes=territoire.communes,
        collectivites=[(p.siren, p.organisation) for p in note.porteurs],
        par=par,
    )
