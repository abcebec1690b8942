"""What the printed livrables show (ADR 0013: a context function per document, in the app's
`pdf` module): one version of a livrable written in the portal."""

from typing import Any

from livrables.models import TypeLivrable, VersionLivrable
from livrables.selectors.livret import livret_a_imprimer

GABARITS: dict[str, str] = {
    TypeLivrable.NOTE_CADRAGE: "pdf/livrable.html",
    TypeLivrable.CARNET_SUIVI: "pdf/livrable.html",
    TypeLivrable.RAPPORT_FINAL: "pdf/livrable.html",
    TypeLivrable.FEUILLE_ROUTE: "pdf/livrable.html",
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
        "livret": livret_a_imprimer(version.contenu),
    }
