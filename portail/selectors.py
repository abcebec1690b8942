"""What the pages showing several stages read from each stage, in the programme's order: each
stage's public selectors, called one after the other (no registry to follow)."""

from django.db.models import QuerySet

from ateliers import selectors as ateliers_selectors
from ateliers.models import Atelier
from ateliers.sections import Section, section_accompagnement, section_sessions
from ateliers.selectors import Attente, Demande, a_traiter_pks, ateliers_visibles
from ateliers.selectors import session as sessions_selectors
from candidatures import selectors as candidatures_selectors
from candidatures.sections import section_candidature, section_echanges, section_precandidature
from comptes.models import AnyUser
from livrables.sections import section_livrables
from livrables.sections_cloture import section_cloture
from livrables.selectors import attentes as livrables_attentes
from livrables.selectors.attentes_cloture import attentes_cloture
from marches import selectors as marches_selectors
from marches.sections import section_marche


def attentes(user: AnyUser) -> list[Attente]:
    """What every stage expects of this user (« à traiter »): ateliers' own steps and its
    sessions', then the candidature's, then the marché's, then the clôture's."""
    return [
        *ateliers_selectors.attentes(user),
        *sessions_selectors.attentes(user),
        *candidatures_selectors.attentes(user),
        *marches_selectors.attentes(user),
        *livrables_attentes.attentes(user),
        *attentes_cloture(user),
    ]


def demandes(user: AnyUser) -> list[Demande]:
    """The requests addressed to this user by name and still waiting for them (the avis asked
    of a colleague), the oldest first."""
    return sorted(candidatures_selectors.avis_a_rendre(user), key=lambda d: d.depuis)


def ateliers_a_traiter(user: AnyUser) -> QuerySet[Atelier]:
    """The ateliers waiting for this user, among those they see."""
    return ateliers_visibles(user).filter(pk__in=a_traiter_pks(attentes(user)))


def sections(atelier: Atelier, user: AnyUser) -> list[Section]:
    """The stages' parts of the atelier's page this user sees, in the programme's order: the
    pré-candidature, the candidature, the exchanges with DGALN, the marché, the sessions, the
    clôture."""
    parts: list[Section | None] = [
        section_precandidature(atelier=atelier, user=user),
        section_candidature(atelier=atelier, user=user),
        section_echanges(atelier=atelier, user=user),
        section_marche(atelier=atelier, user=user),
        section_accompagnement(atelier=atelier, user=user),
        section_sessions(atelier=atelier, user=user),
        section_livrables(atelier=atelier, user=user),
        section_cloture(atelier=atelier, user=user),
    ]
    return [s for s in parts if s is not None]
