"""Reads about ateliers used in more than one place, above all what a user may see."""

import datetime
import enum
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from ateliers.models import Atelier, Evenement
from comptes.models import AnyUser, Organisation, Role
from comptes.selectors import Profil, profil
from documents.models import Document
from territoires.models import Departement


def ateliers_visibles(user: AnyUser) -> QuerySet[Atelier]:
    """The ateliers this user may see: all for DGALN and admins, otherwise those of their
    territory (DDT(M), DREAL), those they carry (collectivité, opérateur) or work on (groupement).

    Each route is its own indexed lookup and the routes are united in one subquery: an OR of
    them across joins made PostgreSQL scan every atelier. Built once per request (kept on the
    user, like the profile); each caller gets its own queryset."""
    if not user.is_authenticated:
        return Atelier.objects.none()
    routes = getattr(user, "_routes_visibles", None)
    if routes is None:
        routes = _routes_visibles(profil(user))
        # An attribute of ours on the user object, hence the ignore.
        user._routes_visibles = routes  # type: ignore[attr-defined]
    if routes is TOUS:
        return Atelier.objects.all()
    if not routes:
        return Atelier.objects.none()
    return Atelier.objects.filter(pk__in=routes[0].union(*routes[1:]))


def atelier_visible(user: AnyUser, atelier: Atelier) -> bool:
    """May this user see this atelier (the rule `ateliers.view_atelier`): one query, unless the
    page already read the atelier among those the user sees (`atelier_lu_parmi_les_visibles`)."""
    if atelier.pk in getattr(user, "_ateliers_lus_visibles", ()):
        return True
    return ateliers_visibles(user).filter(pk=atelier.pk).exists()


def atelier_lu_parmi_les_visibles(user: AnyUser, atelier: Atelier) -> None:
    """Note that this request read `atelier` through `ateliers_visibles(user)`: the
    permissions checked on it for the rest of the request need not ask again (the DREAL's
    atelier page asked twice). Kept on the user object, which lives as long as the request."""
    lus = getattr(user, "_ateliers_lus_visibles", None)
    if lus is None:
        lus = set()
        # An attribute of ours on the user object, hence the ignore.
        user._ateliers_lus_visibles = lus  # type: ignore[union-attr]
    lus.add(atelier.pk)


class _Tous(enum.Enum):
    TOUS = "tous"


TOUS = _Tous.TOUS


def _routes_visibles(p: Profil) -> list[QuerySet[Any, Any]] | Literal[_Tous.TOUS]:
    """One `values("atelier_id")` queryset per way this profile reaches ateliers, or TOUS."""
    if p.est_admin or p.est_dgaln:
        return TOUS
    par_departement = Atelier.departements.through.objects
    routes: list[QuerySet[Any, Any]] = []
    if p.departements:
        routes.append(par_departement.filter(departement__in=p.departements))
    if p.regions:
        routes.append(par_departement.filter(departement__region__in=p.regions))
    if p.ids(Role.COLLECTIVITE):
        routes.append(
            Atelier.collectivites.through.objects.filter(organisation__in=p.ids(Role.COLLECTIVITE))
        )
    routes = [r.values("atelier_id") for r in routes]
    for champ, role in (
        ("service_pilote", Role.SERVICE_ETAT),
        ("operateur", Role.OPERATEUR),
        ("groupement", Role.GROUPEMENT),
    ):
        if p.ids(role):
            routes.append(Atelier.objects.filter(**{f"{champ}__in": p.ids(role)}).values("pk"))
    return [r.order_by() for r in routes]


def atelier_pour_liste(queryset: QuerySet[Atelier]) -> QuerySet[Atelier]:
    """Everything a list row shows, loaded in a fixed number of queries: the départements come
    with their région in one query (`departements__region` took one each)."""
    return queryset.select_related("service_pilote", "groupement", "operateur").prefetch_related(
        Prefetch("departements", queryset=Departement.objects.select_related("region")),
        "collectivites",
    )


def pour_la_page(queryset: QuerySet[Atelier]) -> QuerySet[Atelier]:
    """What the atelier's page reads besides its row, in the atelier's own query rather than
    one query each: its journal's length (the journal's pages) and its latest line (the fiche's
    version, `version_fiche`)."""
    journal = Evenement.objects.filter(atelier=OuterRef("pk")).order_by()
    return queryset.annotate(
        journal_lignes=Coalesce(
            Subquery(journal.values("atelier").annotate(n=Count("pk")).values("n")), 0
        ),
        dernier_evenement=Subquery(journal.order_by("-pk").values("pk")[:1]),
    )


def journal_atelier(atelier: Atelier) -> QuerySet[Evenement]:
    """The atelier's journal, newest first, with who acted and for which organisation."""
    return Evenement.objects.filter(atelier=atelier).select_related("par", "organisation")


def organisation_au_titre_de(user: AnyUser, atelier: Atelier | None = None) -> Organisation | None:
    """The organisation a user acts for on an atelier: the one of theirs that takes part in it."""
    organisations = profil(user).organisations
    if not organisations:
        return None
    if atelier is not None:
        parties = {atelier.service_pilote_id, atelier.operateur_id, atelier.groupement_id}
        parties |= {c.pk for c in atelier.collectivites.all()}
        for organisation in organisations:
            if organisation.pk in parties:
                return organisation
    for organisation in organisations:
        if organisation.role == Role.DGALN:
            return organisation
    return organisations[0]


def q_ateliers_avec(objets: QuerySet[Any], champ: str = "atelier_id") -> Q:
    """A filter on Atelier: those with at least one of `objets`, whose `champ` names the
    atelier. A correlated EXISTS, not `pk__in` a subquery: ORed with the other stages'
    expectations, `pk__in` made PostgreSQL read every row of each subquery into a hash (the
    five validated livrables of every atelier, every notified marché) even to answer for the
    20 ateliers of a page, where EXISTS lets it probe the index for each atelier it meets, or
    hash when it meets many."""
    return Q(Exists(objets.order_by().filter(**{champ: OuterRef("pk")})))


def q_permission(user: AnyUser, permission: str) -> Q | None:
    """The ateliers on which `user` holds `permission`, as a filter (mirrors ateliers/rules.py)."""
    from ateliers.models import INSTRUIRE, PILOTER, PORTER

    p = profil(user)
    pilote = Q(service_pilote__in=p.ids(Role.SERVICE_ETAT))
    if permission == INSTRUIRE:
        return Q() if p.est_dgaln else None
    if permission == PILOTER:
        return pilote if p.ids(Role.SERVICE_ETAT) else None
    if permission == PORTER:
        # Only the routes this user has; the collectivités by a subquery, not a join, so that
        # an atelier stays one row (`a_faire` reads each expectation as a column).
        routes = [
            Q(**{f"{champ}__in": p.ids(role)})
            for champ, role in (
                ("service_pilote", Role.SERVICE_ETAT),
                ("operateur", Role.OPERATEUR),
            )
            if p.ids(role)
        ]
        if p.ids(Role.COLLECTIVITE):
            portees = Atelier.collectivites.through.objects.filter(
                organisation_id__in=p.ids(Role.COLLECTIVITE)
            )
            routes.append(Q(pk__in=portees.values("atelier_id")))
        return reduce(operator.or_, routes) if routes else None
    return None


def q_suit_accompagnement(user: AnyUser, prefixe: str = "") -> Q | None:
    """The ateliers whose accompagnement this user follows (their pilot, collectivités,
    opérateur or groupement; DGALN: all), as a filter on Atelier or, with `prefixe`
    (« atelier__ »), on a model that points to it; None when there are none."""
    p = profil(user)
    if p.est_dgaln:
        return Q()
    routes = [
        Q(**{f"{prefixe}{champ}__in": p.ids(role)})
        for champ, role in (
            ("service_pilote", Role.SERVICE_ETAT),
            ("collectivites", Role.COLLECTIVITE),
            ("operateur", Role.OPERATEUR),
            ("groupement", Role.GROUPEMENT),
        )
        if p.ids(role)
    ]
    return reduce(operator.or_, routes) if routes else None


@dataclass(frozen=True)
class Attente:
    """What a stage expects of one user: the ateliers where it waits on them (a filter on
    Atelier, their rights included) and what to do there, as they read it. The « à traiter »
    list, its counter and the atelier page's « what next » are all read from these."""

    libelle: str
    # What else than its phase says it waits (the objects, the user's rights).
    q: Q
    # The part of the atelier's page where it is done; "" for a phase change, a button there.
    ancre: str = ""
    # The atelier's phases where it may wait; empty: any phase. `filtre` requires them, and
    # `a_faire` asks the database only about those that may wait on the ateliers it is given:
    # one set for both, so that they cannot disagree.
    phases: frozenset[str] = frozenset()

    @property
    def filtre(self) -> Q:
        """The ateliers where it waits: its phases and `q`."""
        return Q(phase__in=sorted(self.phases)) & self.q if self.phases else self.q


def attentes(user: AnyUser) -> list[Attente]:
    """The steps ateliers itself owns that wait on this user: a phase change forward that they
    may make (an exit or the correction of a decision is possible, never expected)."""
    resultat: list[Attente] = []
    for t in Atelier._meta.get_field("phase").get_all_transitions(Atelier):
        if t.custom.get("etape") or t.custom.get("danger") or t.custom.get("correction"):
            continue
        q_perm = q_permission(user, t.permission.permission)
        if q_perm is not None:
            resultat.append(
                Attente(
                    libelle=t.custom["libelle"],
                    q=q_perm,
                    phases=frozenset([t.source]),
                )
            )
    from ateliers.selectors.cadrage import attentes_cadrage

    return [*resultat, *attentes_cadrage(user)]


def a_traiter_pks(attentes: list[Attente]) -> QuerySet[Atelier, dict[str, Any]]:
    """The primary keys of the ateliers where one of `attentes` waits, visibility aside: for a
    queryset already limited to what the user sees."""
    q = reduce(operator.or_, (a.filtre for a in attentes), Q(pk__in=[]))
    return Atelier.objects.filter(q).order_by().values("pk")


def a_faire(ateliers: Iterable[Atelier], attentes: list[Attente]) -> dict[int, list[str]]:
    """What is expected of the user on each of these ateliers, by pk, in the order of
    `attentes`: one query whatever their number, none when no expectation may wait in these
    ateliers' phases. Each expectation is a boolean column of that query, true where it waits:
    their filters name no multi-valued relation (`q_permission` reaches the collectivités by
    a subquery), so each atelier is one row. It replaced a UNION of one query per expectation,
    which Django took longer to build than PostgreSQL to run."""
    ateliers = list(ateliers)
    pks = [a.pk for a in ateliers]
    phases = {a.phase for a in ateliers}
    colonnes = {
        f"attente_{rang}": ExpressionWrapper(attente.filtre, output_field=BooleanField())
        if attente.filtre
        else Value(True)
        for rang, attente in enumerate(attentes)
        if not attente.phases or attente.phases & phases
    }
    if not pks or not colonnes:
        return {}
    lignes = (
        Atelier.objects.filter(pk__in=pks)
        .order_by()
        .annotate(**colonnes)
        .values_list("pk", *colonnes)
    )
    rangs = [int(nom.removeprefix("attente_")) for nom in colonnes]
    resultat: dict[int, list[str]] = {}
    for pk, *attend in lignes:
        libelles = [attentes[rang].libelle for rang, oui in zip(rangs, attend, strict=True) if oui]
        if libelles:
            resultat[pk] = libelles
    return resultat


@dataclass(frozen=True)
class Demande:
    """A request addressed to one person by name rather than to a role on an atelier (an avis),
    answered on its own page."""

    libelle: str
    url: str
    depuis: datetime.datetime


FICHE_GABARIT = "pdf/fiche_atelier.html"


def version_fiche(atelier: Atelier) -> str:
    """What the fiche shows changes only with the atelier's row or its journal (its latest line,
    read with the atelier by `pour_la_page`, or here)."""
    if hasattr(atelier, "dernier_evenement"):
        dernier = atelier.dernier_evenement
    else:
        dernier = (
            Evenement.objects.filter(atelier=atelier)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
    return f"{atelier.modifie_le:%Y%m%d%H%M%S%f}-{dernier or 0}"


def fiche_actuelle(atelier: Atelier) -> Document | None:
    """The fiche PDF of the atelier's current version, if someone asked for it."""
    return Document.objects.filter(
        source_type=ContentType.objects.get_for_model(Atelier),
        source_id=str(atelier.pk),
        gabarit=FICHE_GABARIT,
        version_source=version_fiche(atelier),
    ).first()


def organisations_porteuses(atelier: Atelier) -> list[int]:
    """The ids of the atelier's porteur organisations: collectivités, State service, opérateur."""
    organisations = [o.pk for o in atelier.collectivites.all()]
    return organisations + [pk for pk in (atelier.service_pilote_id, atelier.operateur_id) if pk]


def courriels_porteurs(atelier: Atelier) -> list[str]:
    """Addresses of the people of the atelier's porteur organisations, each once."""
    from comptes.selectors import courriels_membres

    return courriels_membres(organisations_porteuses(atelier))
