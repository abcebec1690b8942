"""Parts of the atelier page supplied by the apps of later stages (candidature, marché…).

`ateliers` knows none of them: each registers, from its AppConfig.ready(), a function that
returns the section to show for an atelier and a user, or None.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    titre: str
    ancre: str
    gabarit: str
    contexte: dict = field(default_factory=dict)
    # How this section words what the stage expects of the user, when its « à traiter » says
    # that it expects something (labels).
    a_faire: tuple = ()
    # The atelier's phase changes this stage owns and offers the user (abandoning it…), shown
    # with the page's own.
    actions: tuple = ()


_FOURNISSEURS = []


def enregistrer_section(fournisseur, *, ordre):
    """Add a section provider, called as fournisseur(atelier=…, user=…) -> Section | None."""
    _FOURNISSEURS.append((ordre, fournisseur))
    _FOURNISSEURS.sort(key=lambda paire: paire[0])


def sections_atelier(*, atelier, user):
    """The sections this user sees on this atelier's page, in the programme's order."""
    sections = (fournisseur(atelier=atelier, user=user) for _, fournisseur in _FOURNISSEURS)
    return [s for s in sections if s is not None]
