"""What candidatures expects of a user on each atelier (« à traiter »): DGALN qualifies the
pré-candidatures and reviews the deposited dossiers; the porteurs write, deposit and complete.
The review queue's counter counts the same dossiers as DGALN's « Instruire »."""

import functools

from django.db.models import Q

from ateliers.faits import DefinitionFait, Fait, q_fait
from ateliers.models import INSTRUIRE, PORTER, Phase
from ateliers.selectors import Attente, q_ateliers_avec, q_permission
from candidatures.models import Candidature, PreCandidature
from comptes.models import AnyUser


def _ateliers_de(objets: object) -> Q:
    # A correlated subquery, not a join: ORed with the other stages' filters, a join scans
    # every row.
    return q_ateliers_avec(objets)  # type: ignore[arg-type]


# The phases where each wait is possible, so that `a_faire` asks nothing about them of an
# atelier further on (its marché, its sessions): a pré-candidature waits in the pré-candidature
# phase, a candidature is written, deposited and reviewed in the candidature and instruction
# phases (abandon or non-eligibility moves it out of every waiting state).
PRE_CANDIDATURE = frozenset([Phase.PRE_CANDIDATURE])
CANDIDATURE = frozenset([Phase.CANDIDATURE, Phase.INSTRUCTION])


def _aux_candidatures(statuts: list[str]) -> Q:
    return _ateliers_de(Candidature.objects.filter(statut__in=statuts))


def faits() -> list[DefinitionFait]:
    """The candidature's facts: a pré-candidature waiting for DGALN, a candidature being
    written, completed or waiting for its review."""
    S = Candidature.Statut
    return [
        DefinitionFait(
            Fait.PRE_CANDIDATURE_EN_ATTENTE,
            lambda: _ateliers_de(
                PreCandidature.objects.filter(statut=PreCandidature.Statut.EN_ATTENTE)
            ),
            {PreCandidature: "atelier_id"},
        ),
        *(
            DefinitionFait(
                fait,
                functools.partial(_aux_candidatures, list(statuts)),
                {Candidature: "atelier_id"},
            )
            for fait, statuts in (
                (Fait.CANDIDATURE_A_INSTRUIRE, Candidature.EN_ATTENTE_DGALN),
                (Fait.CANDIDATURE_EN_REDACTION, [S.EN_REDACTION]),
                (Fait.CANDIDATURE_COMPLEMENTS_DEMANDES, [S.COMPLEMENTS_DEMANDES]),
            )
        ),
    ]


def attentes(user: AnyUser) -> list[Attente]:
    """The steps of the candidature that wait on this user, with their rights on each atelier."""
    resultat = []
    q_instruire = q_permission(user, INSTRUIRE)
    if q_instruire is not None:
        resultat += [
            Attente(
                libelle="Qualifier la pré-candidature",
                q=q_fait(Fait.PRE_CANDIDATURE_EN_ATTENTE) & q_instruire,
                ancre="precandidature",
                phases=PRE_CANDIDATURE,
            ),
            Attente(
                libelle="Instruire la candidature",
                q=q_fait(Fait.CANDIDATURE_A_INSTRUIRE) & q_instruire,
                ancre="candidature",
                phases=CANDIDATURE,
            ),
        ]
    q_porter = q_permission(user, PORTER)
    if q_porter is not None:
        resultat += [
            Attente(
                libelle="Rédiger la note d'opportunité et déposer la candidature",
                q=q_fait(Fait.CANDIDATURE_EN_REDACTION) & q_porter,
                ancre="candidature",
                phases=CANDIDATURE,
            ),
            Attente(
                libelle="Compléter la candidature à la demande de la DGALN, puis la déposer à "
                "nouveau",
                q=q_fait(Fait.CANDIDATURE_COMPLEMENTS_DEMANDES) & q_porter,
                ancre="candidature",
                phases=CANDIDATURE,
            ),
        ]
    return resultat
