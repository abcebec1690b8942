"""What a dépôt freezes of the livrable written in the portal: its parts, in order, as the
version's `contenu`; the diff and the PDF read only that."""

from typing import Any

from livrables.models import Livrable, PartieRedigee, TypeLivrable
from livrables.selectors.feuille_route import contenu_feuille_route
from livrables.selectors.livret import contenu_du_livret


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
