"""The cadrage's writes: opened at notification, recorded by the pilot and the groupement, the
calendar fixed, closed by the pilot, which starts session 1."""

import datetime
import itertools

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ateliers.models import Atelier, Cadrage, CodeCadrage, EtapePrevue, calendrier_propose
from ateliers.models.cadrage import ORDRE
from ateliers.selectors import courriels_porteurs
from ateliers.selectors.cadrage import etapes_prevues
from ateliers.services import (
    ActionImpossible,
    accompagnement_verifier,
    etat_verifier,
    journal_ecrire,
    noms_des_champs,
    transition_appliquer,
    valeurs_appliquer,
)
from comptes.liens import lien_absolu
from comptes.models import Utilisateur
from comptes.selectors import courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import fichier_deposer
from documents.verification import Usage

MODIFIER = "ateliers.change_cadrage"
CHAMPS_REUNION = ("date", "lieu", "lien_visio", "participants", "compte_rendu")


def _verrouille(cadrage: Cadrage) -> Cadrage:
    return Cadrage.objects.select_for_update().select_related("atelier").get(pk=cadrage.pk)


@transaction.atomic
def cadrage_ouvrir(
    *, atelier: Atelier, debut: datetime.date, duree_mois: int, calendrier_cctp: str = ""
) -> Cadrage:
    """Open the cadrage of an atelier whose marché was just notified, with the calendar
    proposed from the CCTP's duration; the marché's notification calls it in its transaction."""
    cadrage = Cadrage.objects.create(
        atelier=atelier, duree_mois=duree_mois, calendrier_cctp=calendrier_cctp
    )
    EtapePrevue.objects.bulk_create(
        EtapePrevue(atelier=atelier, nature=nature, date_prevue=date)
        for nature, date in calendrier_propose(debut, duree_mois).items()
    )
    return cadrage


def _verifier_modification(par: Utilisateur, cadrage: Cadrage, vu: str) -> None:
    if not par.has_perm(MODIFIER, cadrage):
        raise PermissionDenied("Seuls le service pilote et le groupement titulaire le modifient.")
    accompagnement_verifier(cadrage.atelier, "son cadrage ne se modifie plus")
    etat_verifier(objet=cadrage, champ="statut", vu=vu)
    if cadrage.statut != Cadrage.Statut.A_TENIR:
        raise ActionImpossible("Le cadrage est clos : sa réunion ne se modifie plus.")


@transaction.atomic
def cadrage_enregistrer(
    *,
    cadrage: Cadrage,
    par: Utilisateur,
    vu: str,
    valeurs: dict,
    presentation: File | None = None,
) -> Cadrage:
    """Record the réunion de cadrage (date, place or visio link, participants, compte-rendu and
    the groupement's presentation), by the pilot or the groupement while it is to be held."""
    cadrage = _verrouille(cadrage)
    _verifier_modification(par, cadrage, vu)
    changes = valeurs_appliquer(objet=cadrage, valeurs=valeurs, champs=CHAMPS_REUNION)
    if presentation is not None:
        cadrage.presentation = fichier_deposer(
            fichier=presentation, par=par, proprietaire=cadrage, usage=Usage.PIECE_MARCHE
        )
        changes.append("presentation")
    if not changes:
        return cadrage
    cadrage.modifie_le, cadrage.modifie_par = timezone.now(), par
    cadrage.save()
    noms = ", ".join(noms_des_champs(cadrage, changes))
    journal_ecrire(
        code=CodeCadrage.ENREGISTRE,
        objet=cadrage,
        atelier=cadrage.atelier,
        par=par,
        libelle="Réunion de cadrage enregistrée",
        commentaire=f"Modifié : {noms}.",
    )
    return cadrage


@transaction.atomic
def calendrier_fixer(
    *, cadrage: Cadrage, par: Utilisateur, dates: dict[str, datetime.date]
) -> list[str]:
    """Fix the planned dates of the calendar (pilot or groupement, during the whole
    accompagnement: a planned date moves, journalled with its old value); the steps keep their
    order. Returns the labels of the dates that changed."""
    cadrage = _verrouille(cadrage)
    if not par.has_perm("ateliers.fixer_calendrier", cadrage):
        raise PermissionDenied("Seuls le service pilote et le groupement titulaire le fixent.")
    accompagnement_verifier(cadrage.atelier, "son calendrier ne se modifie plus")
    jalons = etapes_prevues(cadrage.atelier)
    prevues = {n: j.date_prevue for n, j in jalons.items()} | dates
    connus = [n for n in ORDRE if n in prevues]
    for avant, apres in itertools.pairwise(connus):
        if prevues[apres] < prevues[avant]:
            raise ActionImpossible(
                f"« {EtapePrevue.Nature(apres).label} » ne peut pas être prévue avant "
                f"« {EtapePrevue.Nature(avant).label} »."
            )
    changes = []
    for nature, date in dates.items():
        jalon = jalons.get(nature)
        if jalon is None:
            EtapePrevue.objects.create(atelier=cadrage.atelier, nature=nature, date_prevue=date)
            changes.append(f"{EtapePrevue.Nature(nature).label} : {date:%d/%m/%Y}")
        elif jalon.date_prevue != date:
            ancienne = jalon.date_prevue
            jalon.date_prevue = date
            jalon.save(update_fields=["date_prevue"])
            changes.append(f"{jalon.get_nature_display()} : {ancienne:%d/%m/%Y} → {date:%d/%m/%Y}")
    if changes:
        journal_ecrire(
            code=CodeCadrage.CALENDRIER_FIXE,
            objet=cadrage,
            atelier=cadrage.atelier,
            par=par,
            libelle="Calendrier prévisionnel fixé",
            commentaire="\n".join(changes),
        )
    return changes


def cadrage_clore(*, cadrage: Cadrage, par: Utilisateur, vu: str) -> Cadrage:
    """Close the cadrage once its réunion is held and recorded: the atelier enters session 1,
    and its porteurs and groupement are told."""
    if not par.has_perm("ateliers.clore_cadrage", cadrage):
        raise PermissionDenied("Seul le service pilote clôt le cadrage.")
    with transaction.atomic():
        verrouille = _verrouille(cadrage)
        accompagnement_verifier(verrouille.atelier, "son cadrage ne se clôt plus")
        manque = [
            libelle
            for libelle, present in (
                ("la date de la réunion", verrouille.date),
                ("son compte-rendu", verrouille.compte_rendu.strip()),
            )
            if not present
        ]
        if manque:
            raise ActionImpossible(f"Avant de clore le cadrage, indiquez {' et '.join(manque)}.")
        if verrouille.date and verrouille.date > timezone.now():
            raise ActionImpossible("La réunion de cadrage n'a pas encore eu lieu.")
        cadrage = transition_appliquer(
            objet=verrouille, transition="clore", par=par, vu=vu, phase="demarrer_session_1"
        )
        atelier = cadrage.atelier
        groupement = courriels_membres([atelier.groupement_id]) if atelier.groupement_id else []
        courriel_ecrire_depuis_gabarit(
            gabarit="cadrage_clos",
            contexte={"atelier": atelier, "lien": lien_absolu("ateliers:cadrage", atelier.pk)},
            destinataires=[*courriels_porteurs(atelier), *groupement],
        )
    return cadrage
