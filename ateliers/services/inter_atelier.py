"""The inter-ateliers' writes: the groupement writes its entries between the sessions, their
author corrects or withdraws them, each action journalled; nothing is written after the
accompagnement."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ateliers.models import PHASES_ACCOMPAGNEMENT, Atelier, CodeInterAtelier, InterAtelier
from ateliers.models.inter_atelier import CHAMPS, champs_manquants
from ateliers.selectors.inter_atelier import pieces_de
from ateliers.services import (
    ActionImpossible,
    etat_verifier,
    journal_ecrire,
    noms_des_champs,
    transition_appliquer,
    valeurs_appliquer,
)
from comptes.models import Utilisateur
from documents.services import fichier_deposer, fichier_retirer
from documents.verification import Usage

ECRIRE = "ateliers.add_interatelier"
MODIFIER = "ateliers.change_interatelier"
RETIRER = "ateliers.retirer_interatelier"
# An entry's attachments, all versions of its edits together: beyond this, a shared folder.
PIECES_MAX = 10


def _verifier_phase(atelier: Atelier) -> None:
    if atelier.phase not in PHASES_ACCOMPAGNEMENT:
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : ses inter-ateliers "
            "ne se modifient plus."
        )


def _verifier(atelier: Atelier, valeurs: dict) -> None:
    _verifier_phase(atelier)
    manquants = champs_manquants(valeurs)
    if manquants:
        noms = ", ".join(noms_des_champs(InterAtelier(), manquants))
        raise ActionImpossible(f"Complétez l'entrée : {noms}.")


def _deposer(entree: InterAtelier, pieces: Sequence[File], par: Utilisateur, deja: int) -> None:
    if deja + len(pieces) > PIECES_MAX:
        raise ActionImpossible(f"Une entrée porte au plus {PIECES_MAX} pièces jointes.")
    for piece in pieces:
        fichier_deposer(fichier=piece, par=par, proprietaire=entree, usage=Usage.RESSOURCE)


@transaction.atomic
def inter_atelier_ecrire(
    *, atelier: Atelier, par: Utilisateur, valeurs: dict, pieces: Sequence[File] = ()
) -> InterAtelier:
    """Write a dated entry of the groupement (entretien, analyse documentaire, réunion de
    travail) with its checked attachments, read at once by the porteurs and DGALN."""
    if not par.has_perm(ECRIRE, atelier):
        raise PermissionDenied("Seul le groupement titulaire écrit les inter-ateliers.")
    atelier = Atelier.objects.select_for_update().get(pk=atelier.pk)
    _verifier(atelier, valeurs)
    entree = InterAtelier.objects.create(
        atelier=atelier, auteur=par, **{c: valeurs[c] for c in CHAMPS}
    )
    _deposer(entree, pieces, par, 0)
    journal_ecrire(
        code=CodeInterAtelier.ECRIT,
        objet=entree,
        atelier=atelier,
        par=par,
        libelle="Inter-atelier écrit",
        commentaire=f"{entree.get_nature_display()} du {entree.date:%d/%m/%Y}"
        + (f", {len(pieces)} pièce(s) jointe(s)." if pieces else "."),
    )
    return entree


@transaction.atomic
def inter_atelier_modifier(
    *,
    entree: InterAtelier,
    par: Utilisateur,
    vu: str,
    valeurs: dict,
    pieces: Sequence[File] = (),
    pieces_retirees: Iterable[int] = (),
) -> InterAtelier:
    """Correct an entry, by its author only: its fields, attachments added or withdrawn (the
    withdrawn ones are no longer served); journalled with what changed."""
    if not par.has_perm(MODIFIER, entree):
        raise PermissionDenied("Seul l'auteur de l'entrée la modifie.")
    entree = InterAtelier.objects.select_for_update().select_related("atelier").get(pk=entree.pk)
    etat_verifier(objet=entree, champ="statut", vu=vu)
    _verifier(entree.atelier, valeurs)
    changes = valeurs_appliquer(objet=entree, valeurs=valeurs, champs=CHAMPS)
    actuelles = pieces_de([entree]).get(entree.pk, [])
    a_retirer = [p for p in actuelles if p.pk in set(pieces_retirees)]
    for piece in a_retirer:
        fichier_retirer(fichier=piece)
    _deposer(entree, pieces, par, len(actuelles) - len(a_retirer))
    noms = noms_des_champs(entree, changes)
    if pieces:
        noms.append(f"{len(pieces)} pièce(s) ajoutée(s)")
    if a_retirer:
        noms.append("retirée(s) : " + ", ".join(p.nom_original for p in a_retirer))
    if not noms:
        return entree
    entree.modifie_le = timezone.now()
    entree.save()
    journal_ecrire(
        code=CodeInterAtelier.MODIFIE,
        objet=entree,
        atelier=entree.atelier,
        par=par,
        libelle="Inter-atelier modifié",
        commentaire=f"Modifié : {', '.join(noms)}.",
    )
    return entree


def inter_atelier_retirer(*, entree: InterAtelier, par: Utilisateur, vu: str) -> InterAtelier:
    """Withdraw an entry, by its author only: no longer read nor taken into the carnet de
    suivi, its attachments no longer served; the journal keeps it."""
    if not par.has_perm(RETIRER, entree):
        raise PermissionDenied("Seul l'auteur de l'entrée la retire.")
    with transaction.atomic():
        _verifier_phase(Atelier.objects.get(pk=entree.atelier_id))
        entree = transition_appliquer(objet=entree, transition="retirer", par=par, vu=vu)
        for piece in pieces_de([entree]).get(entree.pk, []):
            fichier_retirer(fichier=piece)
    return entree
