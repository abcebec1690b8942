"""Who may do what with the livrables (ADR 0019): the groupement titulaire deposits, the pilot
reviews and validates, the collectivités porteuses give their avis, DGALN agrees to the
livret; whoever follows the accompagnement reads everything; anyone else sees nothing."""

import rules

from ateliers.models import Phase
from ateliers.rules import (
    collectivite_porteuse,
    de_son_atelier,
    est_dgaln,
    groupement_titulaire,
    pilote_atelier,
    suit_accompagnement,
)


@rules.predicate
def atelier_ouvert(user, objet):
    """The atelier is neither closed nor abandoned: its livrables still move."""
    return objet is not None and objet.atelier.phase not in (Phase.CLOTURE, Phase.ABANDONNE)


@rules.predicate
def est_le_livret(user, livrable):
    from livrables.models import TypeLivrable

    return livrable is not None and livrable.type == TypeLivrable.LIVRET


rules.add_perm("livrables.view_livrable", de_son_atelier(suit_accompagnement))
rules.add_perm("livrables.deposer_livrable", de_son_atelier(groupement_titulaire) & atelier_ouvert)
rules.add_perm("livrables.revoir_livrable", de_son_atelier(pilote_atelier) & atelier_ouvert)
rules.add_perm(
    "livrables.donner_avis_livrable", de_son_atelier(collectivite_porteuse) & atelier_ouvert
)
rules.add_perm("livrables.accorder_livrable", est_dgaln & est_le_livret & atelier_ouvert)
rules.add_perm("livrables.cloturer_atelier", de_son_atelier(pilote_atelier))


@rules.predicate
def lit_le_livrable_de_la_version(user, version):
    """A version, its PDF and its upload are read by who reads its livrable."""
    return version is not None and user.has_perm("livrables.view_livrable", version.livrable)


rules.add_perm("livrables.view_versionlivrable", lit_le_livrable_de_la_version)
