"""What holds on each atelier that its « à traiter » asks about: a pré-candidature to qualify,
a marché to notify, a tranche to pay, a livrable to review… Each stage defines its facts on
its own objects (`DefinitionFait`, from its selectors); the atelier keeps them as bits of
`Atelier.faits`, so that « à traiter » tests a bit of each atelier it meets instead of probing
a dozen tables for each. portail/faits.py lists the stages' definitions and rewrites the bits
in the transaction of every save or delete of an object they read.

What is not kept here: what holds only for one user (the avis a collectivité has not given
yet) and what time alone changes (a livrable falling due, a restitution's date passing); the
stages ask the database about those when they are read."""

import enum
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.lookups import GreaterThan


class Fait(enum.IntFlag):
    """One fact, one bit of `Atelier.faits`. A bit never changes meaning: a fact removed
    leaves its bit unused (the next migration's recalculation clears it)."""

    PRE_CANDIDATURE_EN_ATTENTE = 1 << 0
    CANDIDATURE_A_INSTRUIRE = 1 << 1
    CANDIDATURE_EN_REDACTION = 1 << 2
    CANDIDATURE_COMPLEMENTS_DEMANDES = 1 << 3
    MARCHE_EN_PREPARATION = 1 << 4
    MARCHE_EN_ANALYSE = 1 << 5
    MARCHE_ATTRIBUE = 1 << 6
    MARCHE_INFRUCTUEUX = 1 << 7
    MARCHE_NOTIFIE_SANS_EXECUTION = 1 << 8
    TRANCHE_EXIGIBLE = 1 << 9
    CADRAGE_SANS_COMPTE_RENDU = 1 << 10
    CADRAGE_ECRIT = 1 << 11
    SESSION_TENUE_COMPTE_RENDU_ECRIT = 1 << 12
    SESSION_TENUE_SANS_COMPTE_RENDU = 1 << 13
    LIVRABLE_DEPOSE = 1 << 14
    LIVRABLE_CORRECTIONS_DEMANDEES = 1 << 15
    LIVRET_SANS_ACCORD_DGALN = 1 << 16
    CINQ_LIVRABLES_VALIDES = 1 << 17


@dataclass(frozen=True)
class DefinitionFait:
    """Where a fact holds, as its stage defines it on its own objects: a filter on Atelier,
    built when asked, and the models whose saves and deletes may change it, each with the
    attribute path from one of its objects to its atelier's id (« execution.marche.atelier_id »)."""

    fait: Fait
    filtre: Callable[[], Q]
    sources: Mapping[type[models.Model], str]


def q_fait(fait: Fait) -> Q:
    """A filter on Atelier: those where `fait` (one of them, if several) holds."""
    return Q(GreaterThan(F("faits").bitand(int(fait)), 0))


def faits_recalculer(
    definitions: Iterable[DefinitionFait],
    ateliers: Iterable[int] | None = None,
    faits: Fait | None = None,
) -> int:
    """Rewrite the facts of `definitions` (those among `faits`, if given) on these ateliers
    (all by default), in one UPDATE that leaves the other bits as they are and the rows already
    right untouched; the number of rows rewritten. Over the whole list of definitions and no
    `faits`, every bit is rewritten: one no longer defined is cleared."""
    from ateliers.models import Atelier

    a_calculer = [d for d in definitions if faits is None or d.fait in faits]
    if not a_calculer:
        return 0
    masque = Fait(sum(Fait)) if faits is None else faits
    valeur: Any = F("faits").bitand(~int(masque))
    for definition in a_calculer:
        valeur = valeur.bitor(
            Case(
                When(definition.filtre(), then=Value(int(definition.fait))),
                default=Value(0),
                output_field=models.IntegerField(),
            )
        )
    lignes = Atelier.objects.order_by()
    if ateliers is not None:
        lignes = lignes.filter(pk__in=list(ateliers))
    return lignes.exclude(faits=valeur).update(faits=valeur)


def atelier_de(objet: models.Model, chemin: str) -> int | None:
    """The id of the atelier of `objet` by `chemin`; None when a parent on the way is gone
    (deleted with it: that parent's own deletion tells its atelier)."""
    try:
        return operator.attrgetter(chemin)(objet)
    except ObjectDoesNotExist:
        return None
