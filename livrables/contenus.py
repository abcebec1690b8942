"""What a dépôt freezes of the livrable written in the portal: its parts, in order, as the
version's `contenu`; the diff and the PDF read only that."""

from typing import Any

from livrables.models import Action, Livrable, PartieRedigee, TypeLivrable
from livrables.selectors.feuille_route import contenu_feuille_route
from livrables.selectors.livret import contenu_du_livret
from livrables.selectors.redaction import contenu_redige


def parties_actuelles(livrable: Livrable) -> list[dict[str, Any]]:
    """The written parts as they stand, assembled text first."""
    if livrable.pk is None:
        return []
    return [
        {
            "cle": p.cle,
            "titre": p.titre,
            "texte": p.texte,
            "texte_assemble": p.texte_assemble,
        }
        for p in PartieRedigee.objects.filter(livrable=livrable).order_by("ordre", "pk")
    ]


def contenu_actuel(livrable: Livrable) -> dict[str, Any]:
    """The content a dépôt of the written livrable would freeze now."""
    contenu: dict[str, Any] = {"parties": parties_actuelles(livrable)}
    contenu = contenu_redige(livrable, contenu)
    if livrable.type == TypeLivrable.FEUILLE_ROUTE:
        contenu["feuille_route"] = contenu_feuille_route(livrable)
    if livrable.type == TypeLivrable.LIVRET:
        contenu |= contenu_du_livret(livrable)
    return contenu


def contenu_vide(contenu: dict[str, Any]) -> bool:
    """Nothing written yet: no part has any text (and the feuille de route no action)."""
    return not (contenu.get("feuille_route") or {}).get("actions") and not any(
        (p.get("texte") or "").strip() or (p.get("texte_assemble") or "").strip()
        for p in contenu.get("parties", [])
    )


def redaction_vide(livrable: Livrable) -> bool:
    """`contenu_vide(contenu_actuel(livrable))`, asked of the database instead of assembling
    the content: the livrable page asks it to offer « Déposer la version rédigée », and a
    feuille de route of 150 actions took half of its time to be frozen for that. The note de
    cadrage (its calendar and team make text) and the livret (assembled from the atelier)
    are still assembled."""
    if livrable.type in (TypeLivrable.NOTE_CADRAGE, TypeLivrable.LIVRET):
        return contenu_vide(contenu_actuel(livrable))
    if livrable.pk is None:
        return True
    if (
        livrable.type == TypeLivrable.FEUILLE_ROUTE
        and Action.objects.filter(livrable_id=livrable.pk).exists()
    ):
        return False
    textes = PartieRedigee.objects.filter(livrable=livrable).values_list("texte", "texte_assemble")
    return not any((texte or "").strip() or (assemble or "").strip() for texte, assemble in textes)
