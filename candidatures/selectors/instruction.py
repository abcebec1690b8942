"""Reads on DGALN's review: the queue, the pieces it may send back, the year's cohort."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate

from ateliers.models import Atelier, Evenement
from candidatures.models import (
    PARTIES,
    Candidature,
    Courrier,
    Objet,
    VersionCandidature,
)
from comptes.models import AnyUser
from documents.models import Document
from territoires.models import Departement


def pieces_a_completer_possibles() -> list[tuple[str, str]]:
    """What DGALN may send back for compléments, in the dossier's order: each part of the note
    (by slug), then each signed letter (by type), with its label."""
    return [
        *((p.slug, p.titre) for p in PARTIES),
        *((t.value, t.label) for t in Courrier.Type),
    ]


# The states a filter of the review queue stands for, with its label.
ETATS_DE_LA_FILE = {
    "a_instruire": Candidature.EN_ATTENTE_DGALN,
    Candidature.Statut.DEPOSEE: (Candidature.Statut.DEPOSEE,),
    Candidature.Statut.EN_INSTRUCTION: (Candidature.Statut.EN_INSTRUCTION,),
    Candidature.Statut.COMPLEMENTS_DEMANDES: (Candidature.Statut.COMPLEMENTS_DEMANDES,),
    "en_cours": (*Candidature.EN_ATTENTE_DGALN, Candidature.Statut.COMPLEMENTS_DEMANDES),
}


def file_instruction(
    *,
    user: AnyUser,
    etat: str | None = None,
    region: Any = None,
    departement: Any = None,
    thematique: Any = None,
    recue_du: datetime.date | None = None,
    recue_au: datetime.date | None = None,
    suivi: str | None = None,
    tri: str | None = None,
) -> QuerySet[Candidature]:
    """The candidatures DGALN reviews, each with its first reception and its last dépôt
    (`recue_le`, `en_attente_depuis`), territory, themes and follower, in a fixed number of
    queries; the longest waiting first unless `tri` is « recentes ».

    Only the columns the table shows are read, the dates by subquery and the filters as
    subqueries: no grouping over versions, no DISTINCT over the note's long texts."""
    etats = ETATS_DE_LA_FILE.get(etat or "a_instruire", Candidature.EN_ATTENTE_DGALN)
    versions = VersionCandidature.objects.filter(candidature=OuterRef("pk")).values("depose_le")
    candidatures = (
        Candidature.objects.filter(statut__in=etats)
        .annotate(
            recue_le=Subquery(versions.order_by("depose_le")[:1]),
            en_attente_depuis=Subquery(versions.order_by("-depose_le")[:1]),
        )
        .select_related("atelier", "suivie_par", "objet")
        .only(
            "statut",
            # ConcurrentTransitionMixin reads the state of each row it builds.
            "atelier__phase",
            "atelier__intitule",
            "atelier__cree_le",
            "suivie_par__prenom",
            "suivie_par__nom",
            "objet__titre",
        )
        .prefetch_related(
            # The départements with their région in one query.
            Prefetch(
                "atelier__departements", queryset=Departement.objects.select_related("region")
            ),
            "objet__thematiques",
        )
    )
    departements = Atelier.departements.through.objects
    if region:
        candidatures = candidatures.filter(
            atelier__in=departements.filter(departement__region=region).values("atelier_id")
        )
    if departement:
        candidatures = candidatures.filter(
            atelier__in=departements.filter(departement=departement).values("atelier_id")
        )
    if thematique:
        candidatures = candidatures.filter(
            objet__in=Objet.thematiques.through.objects.filter(thematique=thematique).values(
                "objet_id"
            )
        )
    if recue_du:
        candidatures = candidatures.filter(recue_le__date__gte=recue_du)
    if recue_au:
        candidatures = candidatures.filter(recue_le__date__lte=recue_au)
    if suivi == "moi":
        candidatures = candidatures.filter(suivie_par=user)
    elif suivi == "personne":
        candidatures = candidatures.filter(suivie_par__isnull=True)
    ordre = "-en_attente_depuis" if tri == "recentes" else "en_attente_depuis"
    return candidatures.order_by(ordre, "pk")


def cohorte(annee: int) -> dict[str, Any]:
    """The year's pipeline by région: candidatures received in `annee` (first dépôt), where
    they stand now, and the average review time (first dépôt to first decision) in days;
    counted by the database in grouped queries, whatever the number of candidatures. An atelier
    entered past its dépôt (no version here) counts in the year the journal says it was declared
    eligible or not, whatever its phase since."""
    # The first dépôt is the version numbered 1 (each dépôt numbers the next; versions are
    # never deleted): no grouping of every version by candidature to find its earliest.
    premieres = VersionCandidature.objects.filter(numero=1, depose_le__year=annee)
    par_depot = premieres.values("candidature")
    declaree = Evenement.objects.filter(
        atelier=OuterRef("atelier"),
        transition__in=["declarer_eligible", "declarer_non_eligible"],
        date__year=annee,
    )
    sans_version = VersionCandidature.objects.filter(candidature=OuterRef("pk"))
    # Two disjoint sets counted apart: an OR of the two would make PostgreSQL test the journal
    # for every candidature instead of for the few that have no version.
    ensembles = (
        Candidature.objects.filter(pk__in=par_depot),
        Candidature.objects.filter(~Exists(sans_version), Exists(declaree)),
    )
    # Counted by the atelier's first département (by code), whose région the list shows.
    premier = Atelier.departements.through.objects.filter(
        atelier_id=OuterRef("atelier_id")
    ).order_by("departement_id")
    S = Candidature.Statut
    colonnes = {
        "recues": Q(),
        "en_instruction": Q(statut__in=Candidature.EN_ATTENTE_DGALN),
        "complements": Q(statut=S.COMPLEMENTS_DEMANDES),
        "eligibles": Q(statut=S.ELIGIBLE),
        "non_eligibles": Q(statut=S.NON_ELIGIBLE),
    }
    comptes = [
        compte
        for ensemble in ensembles
        for compte in ensemble.annotate(departement=Subquery(premier.values("departement_id")[:1]))
        .values("departement")
        .annotate(**{nom: Count("pk", filter=q) for nom, q in colonnes.items()})
        .order_by()
    ]
    # Each decided candidature's review time, from its first dépôt to its first decision, in
    # whole days, summed and counted by the database.
    durees = (
        premieres.annotate(decidee=Min("candidature__decisions__date_decision"))
        .filter(decidee__isnull=False)
        .annotate(
            duree=ExpressionWrapper(
                F("decidee") - TruncDate("depose_le"), output_field=DurationField()
            )
        )
        .order_by()
    )
    attente = durees.aggregate(total=Sum("duree"), decisions=Count("pk"))
    departements = Departement.objects.select_related("region").in_bulk()
    lignes: dict[str, dict[str, Any]] = {}
    for compte in comptes:
        departement = departements.get(compte["departement"])
        region = departement.region if departement else None
        ligne = lignes.setdefault(
            region.code if region else "", {"region": region, **dict.fromkeys(colonnes, 0)}
        )
        for nom in colonnes:
            ligne[nom] += compte[nom]
    return {
        "annee": annee,
        "lignes": sorted(
            lignes.values(), key=lambda ligne: ligne["region"].nom if ligne["region"] else "~"
        ),
        "total": {nom: sum(ligne[nom] for ligne in lignes.values()) for nom in colonnes},
        "objectif": settings.ELIGIBILITE_OBJECTIF_ANNUEL,
        "duree_moyenne": round(attente["total"].days / attente["decisions"])
        if attente["decisions"]
        else None,
        "decisions": attente["decisions"],
    }


def documents_des(objets: Sequence[Model], *, gabarit: str) -> dict[int, Document]:
    """The Document rendered from each of `objets` with this template, by the object's pk, in
    one query (the latest, if several)."""
    if not objets:
        return {}
    documents = Document.objects.filter(
        source_type=ContentType.objects.get_for_model(type(objets[0])),
        source_id__in=[str(o.pk) for o in objets],
        gabarit=gabarit,
    ).order_by("demande_le")
    return {int(d.source_id): d for d in documents}
