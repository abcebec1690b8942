"""The stages' facts on each atelier (ateliers/faits.py), listed here, where every stage is
known, and kept true: rewritten on an atelier in the transaction of every save or delete of an
object they read (the signals connected by portail's AppConfig), on the whole programme after
each migration (the definitions may have changed with the code) and every five minutes by beat
(two saves on one atelier at the same moment may each compute the bits without the other's
change: the last one written then lacks it until that pass; see
docs/decisions/0020-faits-des-ateliers.md)."""

import functools
from collections import defaultdict
from typing import Any

from django.db import connections, models, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from ateliers import faits as ateliers_faits
from ateliers.faits import DefinitionFait, Fait
from ateliers.models import Atelier
from ateliers.selectors.cadrage import faits_cadrage
from ateliers.selectors.session import faits_sessions
from candidatures.selectors.attentes import faits as faits_candidatures
from livrables.selectors.attentes import faits as faits_livrables
from livrables.selectors.attentes_cloture import faits_cloture
from marches.selectors.attentes import faits as faits_marches
from marches.selectors.finances import faits_finances

DEFINITIONS: tuple[DefinitionFait, ...] = (
    *faits_candidatures(),
    *faits_marches(),
    *faits_finances(),
    *faits_cadrage(),
    *faits_sessions(),
    *faits_livrables(),
    *faits_cloture(),
)


def _sources() -> dict[type[models.Model], tuple[str, Fait]]:
    """Each model the facts read, with its path to the atelier and the facts it may change."""
    chemins: dict[type[models.Model], set[str]] = defaultdict(set)
    touches: dict[type[models.Model], Fait] = defaultdict(lambda: Fait(0))
    for definition in DEFINITIONS:
        for modele, chemin in definition.sources.items():
            chemins[modele].add(chemin)
            touches[modele] |= definition.fait
    for modele, vus in chemins.items():
        if len(vus) > 1:
            raise ValueError(f"{modele.__name__} : plusieurs chemins vers l'atelier ({vus})")
    return {modele: (chemins[modele].pop(), touches[modele]) for modele in touches}


SOURCES = _sources()


def faits_recalculer(ateliers: list[int] | None = None, faits: Fait | None = None) -> int:
    """Rewrite the facts (those among `faits`, if given) of these ateliers (all by default);
    the number of rows that changed."""
    return ateliers_faits.faits_recalculer(DEFINITIONS, ateliers, faits)


def _apres_ecriture(
    sender: type[models.Model], instance: models.Model, using: str = "default", **kwargs: Any
) -> None:
    """In the transaction of the save, unless another one holds the atelier's row (it is
    changing the atelier or its facts): waiting for it there, while holding this object's lock,
    could close a circle of waits with it; the facts are then rewritten as soon as this
    transaction is committed, holding nothing."""
    chemin, faits = SOURCES[sender]
    atelier_id = ateliers_faits.atelier_de(instance, chemin)
    if atelier_id is None:
        return
    connexion = transaction.get_connection(using)
    if connexion.in_atomic_block and connexion.features.has_select_for_update_skip_locked:
        libre = (
            Atelier.objects.using(using)
            .filter(pk=atelier_id)
            .select_for_update(no_key=True, skip_locked=True)
            .values_list("pk", flat=True)
        )
        if not list(libre):
            transaction.on_commit(
                functools.partial(faits_recalculer, [atelier_id], faits), using=using
            )
            return
    faits_recalculer([atelier_id], faits)


def _apres_migration(using: str = "default", **kwargs: Any) -> None:
    """After `migrate`, unless it went back before the column."""
    connexion = connections[using]
    table = Atelier._meta.db_table
    with connexion.cursor() as curseur:
        if table not in connexion.introspection.table_names(curseur):
            return
        colonnes = connexion.introspection.get_table_description(curseur, table)
    if any(c.name == "faits" for c in colonnes):
        faits_recalculer()


def brancher() -> None:
    """Connect the rewrites: on every source model's save and delete, after `migrate` (sent
    for the apps with models: the ateliers')."""
    from django.apps import apps

    for modele in SOURCES:
        uid = f"faits-{modele._meta.label_lower}"
        post_save.connect(_apres_ecriture, sender=modele, dispatch_uid=uid)
        post_delete.connect(_apres_ecriture, sender=modele, dispatch_uid=uid)
    post_migrate.connect(
        _apres_migration,
        sender=apps.get_app_config("ateliers"),
        dispatch_uid="faits-migration",
    )
