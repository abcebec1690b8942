"""DGALN's review: following a dossier, compléments, the decision and its correction."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from ateliers.selectors import courriels_porteurs
from ateliers.services import (
    ActionImpossible,
    etat_verifier,
    journal_ecrire,
    transition_appliquer,
)
from candidatures.models import (
    INSTRUIRE,
    Candidature,
    CodeCandidature,
    Decision,
)
from candidatures.selectors import (
    pieces_a_completer_possibles,
)
from candidatures.services._commun import _candidature_verrouillee, _lien_vers
from candidatures.services.echanges import _message_creer
from comptes.models import Utilisateur
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import document_demander


def candidature_suivre(*, candidature: Candidature, par: Utilisateur, vu: str) -> Candidature:
    """A DGALN agent follows the dossier (taking it over from a colleague if need be) if it is
    still at the step `vu` they saw; a dossier just deposited goes « en instruction »."""
    if not par.has_perm(INSTRUIRE, candidature):
        raise PermissionDenied("Seule la DGALN suit l'instruction d'un dossier.")
    with transaction.atomic():
        candidature = _candidature_verrouillee(candidature)
        etat_verifier(objet=candidature, champ="statut", vu=vu)
        if candidature.suivie_par_id == par.pk:
            return candidature
        precedent = candidature.suivie_par
        candidature.suivie_par = par
        candidature.save(update_fields=["suivie_par"])
        suivi = f"Dossier suivi par {par.get_full_name()}" + (
            f", à la place de {precedent.get_full_name()}" if precedent else ""
        )
        # One line for the action: taking a just-deposited dossier in hand is following it.
        if candidature.statut == Candidature.Statut.DEPOSEE:
            candidature = transition_appliquer(
                objet=candidature, transition="instruire", par=par, vu=None, commentaire=suivi
            )
        else:
            journal_ecrire(
                code=CodeCandidature.SUIVIE,
                objet=candidature,
                atelier=candidature.atelier,
                par=par,
                libelle=f"Dossier suivi par {par.get_full_name()}",
                commentaire=f"À la place de {precedent.get_full_name()}" if precedent else "",
            )
    return candidature


def candidature_demander_complements(
    *, candidature: Candidature, par: Utilisateur, vu: str, pieces: Sequence[str], message: str
) -> Candidature:
    """Send the dossier back to the porteurs: only the named parts and letters reopen; the
    request goes into the thread and the porteurs are told by e-mail."""
    message = message.strip()
    if not message:
        raise ActionImpossible("Écrivez aux porteurs ce qu'il faut compléter.")
    possibles = dict(pieces_a_completer_possibles())
    if not pieces or any(cle not in possibles for cle in pieces):
        raise ActionImpossible("Cochez les pièces à compléter parmi celles du dossier.")
    libelles = [possibles[cle] for cle in pieces]
    with transaction.atomic():
        atelier = candidature.atelier
        candidature = transition_appliquer(
            objet=candidature,
            transition="demander_complements",
            par=par,
            vu=vu,
            commentaire=f"{', '.join(libelles)}. {message}",
            pieces=list(pieces),
        )
        _message_creer(
            candidature=candidature,
            par=par,
            texte=f"Compléments demandés : {', '.join(libelles)}.\n\n{message}",
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="complements_demandes",
            contexte={
                "atelier": atelier,
                "libelles": libelles,
                "lien": _lien_vers("candidatures:echanges", atelier.pk),
            },
            destinataires=courriels_porteurs(atelier),
        )
    return candidature


DECISION_GABARIT = "pdf/decision_eligibilite.html"


def _enregistrer_decision(
    *,
    candidature: Candidature,
    par: Utilisateur,
    eligible: bool,
    motivation: str,
    date_decision: datetime.date,
    motif: str = "",
) -> Decision:
    """The Decision row, its letter queued, and the porteurs told (with the motivation)."""
    numero = (candidature.decisions.aggregate(n=Max("numero"))["n"] or 0) + 1
    decision = Decision.objects.create(
        candidature=candidature,
        numero=numero,
        eligible=eligible,
        motivation=motivation,
        date_decision=date_decision,
        decidee_par=par,
        motif_correction=motif,
    )
    atelier = candidature.atelier
    document_demander(
        source=decision,
        gabarit=DECISION_GABARIT,
        contexte="candidatures.pdf.contexte_decision",
        titre=f"Décision d'éligibilité {atelier.reference} — n° {numero}",
        version=1,
        par=par,
    )
    courriel_ecrire_depuis_gabarit(
        gabarit="decision",
        contexte={
            "atelier": atelier,
            "decision": decision,
            "lien": _lien_vers("candidatures:dossier", atelier.pk),
        },
        destinataires=courriels_porteurs(atelier),
    )
    return decision


def candidature_decider(
    *,
    candidature: Candidature,
    par: Utilisateur,
    vu: str,
    eligible: bool,
    motivation: str,
    date_decision: datetime.date,
) -> Decision:
    """DGALN's decision, motivated and dated: the candidature and the atelier move together
    (éligible: ready for the marché; non éligible: the atelier ends), a decision letter is
    rendered and every porteur is told."""
    motivation = motivation.strip()
    if not motivation:
        raise ActionImpossible("La motivation de la décision est obligatoire.")
    transition = "declarer_eligible" if eligible else "declarer_non_eligible"
    with transaction.atomic():
        candidature = transition_appliquer(
            objet=candidature,
            transition=transition,
            par=par,
            vu=vu,
            phase=transition,
            phase_kwargs={} if eligible else {"motif": motivation},
            commentaire=motivation,
        )
        return _enregistrer_decision(
            candidature=candidature,
            par=par,
            eligible=eligible,
            motivation=motivation,
            date_decision=date_decision,
        )


def candidature_corriger_decision(
    *,
    candidature: Candidature,
    par: Utilisateur,
    vu: str,
    motif: str,
    date_decision: datetime.date,
) -> Decision:
    """DGALN reverses its decision, with a reason that the journal keeps beside the first one;
    an eligibility can be corrected only before the marché starts. The way back is the one
    from `vu`, the decision the user saw: if a colleague corrected it in between, nothing is
    done rather than turning it back the other way."""
    with transaction.atomic():
        # The way back is read from the locked row: an instance loaded earlier may be stale.
        candidature = _candidature_verrouillee(candidature)
        eligible = candidature.statut == Candidature.Statut.NON_ELIGIBLE
        transition = "corriger_eligible" if eligible else "corriger_non_eligible"
        candidature = transition_appliquer(
            objet=candidature, transition=transition, par=par, vu=vu, phase=transition, motif=motif
        )
        return _enregistrer_decision(
            candidature=candidature,
            par=par,
            eligible=eligible,
            motivation=motif.strip(),
            date_decision=date_decision,
            motif=motif.strip(),
        )
