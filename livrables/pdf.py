"""What the printed livrables show (ADR 0013: a context function per document, in the app's
`pdf` module): one version of a livrable written in the portal."""

from typing import Any

from livrables.models import TypeLivrable, VersionLivrable
from livrables.selectors.feuille_route import plan_imprime
from livrables.selectors.livret import livret_a_imprimer

GABARITS: dict[str, str] = {
    TypeLivrable.NOTE_CADRAGE: "pdf/livrables/note_cadrage.html",
    TypeLivrable.CARNET_SUIVI: "pdf/livrables/carnet_suivi.html",
    TypeLivrable.RAPPORT_FINAL: "pdf/livrables/rapport_final.html",
    TypeLivrable.FEUILLE_ROUTE: "pdf/livrables/feuille_route.html",
    TypeLivrable.LIVRET: "pdf/livrables/livret.html",
}


def contexte_version(version: VersionLivrable) -> dict[str, Any]:
    """The frozen content of a deposited version, its livrable, atelier and groupement."""
    version = VersionLivrable.objects.select_related(
        "livrable__atelier__groupement", "deposee_par"
    ).get(pk=version.pk)
    livrable = version.livrable
    return {
        "version": version,
        "livrable": livrable,
        "atelier": livrable.atelier,
        "groupement": livrable.atelier.groupement,
        "contenu": version.contenu,
        "parties": version.contenu.get("parties", []),
        "feuille": plan_imprime(version.contenu)
        if livrable.type == TypeLivrable.FEUILLE_ROUTE
        else None,
        "livret": livret_a_imprimer(version.contenu)
        if livrable.type == TypeLivrable.LIVRET
        else None,
    }
