"""Reads on the accords-cadres: the filtered list, a record's titulaires with their firms, its
documents with every version, its journal."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ateliers.models import Evenement
from comptes.models import MembreGroupement, Organisation
from marches.models import (
    AccordCadre,
    DocumentAccordCadre,
    MarcheSubsequent,
    TitulaireAccordCadre,
)


def _compte(queryset: QuerySet) -> Coalesce:
    """A count as a subquery: two counts joined on one query would multiply each other."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("accord_cadre").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def accords_cadres(*, statut: str = "", annee: int | None = None) -> QuerySet[AccordCadre]:
    """Every accord-cadre, most recent first, with its counts of titulaires and marchés; `statut`
    is read from the dates as the record reads it, `annee` keeps those in force that year."""
    aujourd_hui = timezone.localdate()
    queryset = AccordCadre.objects.select_related("acheteur").annotate(
        nombre_titulaires=_compte(TitulaireAccordCadre.objects.filter(accord_cadre=OuterRef("pk"))),
        nombre_marches=_compte(
            MarcheSubsequent.objects.filter(accord_cadre=OuterRef("pk")).exclude(
                statut=MarcheSubsequent.Statut.NOUVEAU
            )
        ),
    )
    filtres = {
        AccordCadre.Statut.A_VENIR: Q(date_debut__gt=aujourd_hui),
        AccordCadre.Statut.EN_COURS: Q(date_debut__lte=aujourd_hui, date_fin__gte=aujourd_hui),
        AccordCadre.Statut.ECHU: Q(date_fin__lt=aujourd_hui),
    }
    if statut:
        queryset = queryset.filter(filtres[AccordCadre.Statut(statut)])
    if annee:
        queryset = queryset.filter(
            date_debut__lte=datetime.date(annee, 12, 31), date_fin__gte=datetime.date(annee, 1, 1)
        )
    return queryset.order_by("-date_debut", "-pk")


def annees_des_accords_cadres() -> list[int]:
    """The years some accord-cadre was in force, most recent first, for the list's filter."""
    bornes = AccordCadre.objects.order_by().values_list("date_debut__year", "date_fin__year")
    return sorted({a for debut, fin in bornes for a in range(debut, fin + 1)}, reverse=True)


def titulaires_de(accord_cadre: AccordCadre) -> list[TitulaireAccordCadre]:
    """Its titulaires by name, each groupement with its mandataire first, then its co-traitants
    and their skills."""
    return list(
        TitulaireAccordCadre.objects.filter(accord_cadre=accord_cadre)
        .select_related("groupement")
        .prefetch_related(
            Prefetch(
                "groupement__membres_groupement",
                queryset=MembreGroupement.objects.order_by("-role", "ordre", "nom"),
                to_attr="firmes",
            )
        )
        .order_by("groupement__nom")
    )


def groupements_hors_accord_cadre(accord_cadre: AccordCadre) -> QuerySet[Organisation]:
    """The groupements that may still be made titulaires of it."""
    return (
        Organisation.objects.groupements()
        .exclude(pk__in=accord_cadre.titularites.values("groupement"))
        .order_by("nom")
    )


@dataclass
class DocumentVersionne:
    """One document of the accord-cadre: its current version and the earlier ones."""

    actuel: DocumentAccordCadre
    anciennes: list[DocumentAccordCadre] = field(default_factory=list)


def documents_de(accord_cadre: AccordCadre) -> list[DocumentVersionne]:
    """Its documents by type and title, each with its latest version first and the earlier
    ones, which stay downloadable."""
    documents: dict[tuple[str, str], DocumentVersionne] = {}
    for document in (
        DocumentAccordCadre.objects.filter(accord_cadre=accord_cadre)
        .select_related("fichier", "ajoute_par")
        .order_by("type", "titre", "-version")
    ):
        cle = (document.type, document.titre)
        if cle in documents:
            documents[cle].anciennes.append(document)
        else:
            documents[cle] = DocumentVersionne(actuel=document)
    ordre = {valeur: rang for rang, valeur in enumerate(DocumentAccordCadre.Type.values)}
    return sorted(documents.values(), key=lambda d: (ordre[d.actuel.type], d.actuel.titre))


def journal_de(accord_cadre: AccordCadre) -> QuerySet[Evenement]:
    """The journal of the accord-cadre: its record, titulaires and documents, latest first."""
    return (
        Evenement.objects.filter(
            objet_type=ContentType.objects.get_for_model(AccordCadre),
            objet_id=str(accord_cadre.pk),
        )
        .select_related("par", "organisation")
        .order_by("-date", "-pk")
    )
