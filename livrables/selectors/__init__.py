"""Reads of the livrables: the five of an atelier (a row exists from its first dépôt; before
that the livrable is « attendu », with its planned date), their versions and comments."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet, prefetch_related_objects

from ateliers.models import Atelier
from ateliers.selectors.cadrage import etapes_prevues
from livrables.models import (
    ETAPE_DU_TYPE,
    FINAUX,
    JALON_DU_TYPE,
    Avis,
    Commentaire,
    Livrable,
    TypeLivrable,
    VersionLivrable,
)
from marches.models import Jalon

# Every column of a comment: with `only`, the version that answers it is read for its number.
CHAMPS_COMMENTAIRE = [f.name for f in Commentaire._meta.concrete_fields]

__all__ = [
    "LivrableDeLAtelier",
    "avec_commentaires",
    "derniere_version",
    "jalons_atteints",
    "livrable_de",
    "livrables_de",
    "version_en_revue",
    "versions_de",
]


@dataclass
class LivrableDeLAtelier:
    """One of the five livrables as the atelier's pages list it."""

    livrable: Livrable
    echeance: datetime.date | None
    nombre_de_versions: int

    @property
    def type(self) -> str:
        return self.livrable.type

    @property
    def en_retard(self) -> bool:
        return (
            self.echeance is not None
            and self.livrable.statut != Livrable.Statut.VALIDE
            and self.nombre_de_versions == 0
            and self.echeance < datetime.date.today()
        )


def livrable_de(atelier: Atelier, type: str) -> Livrable:
    """The atelier's livrable of this type: its row, or a new unsaved one « attendu » (the row
    is written by its first dépôt)."""
    TypeLivrable(type)  # an unknown type fails here
    livrable = Livrable.objects.filter(atelier=atelier, type=type).first()
    if livrable is None:
        livrable = Livrable(atelier=atelier, type=type)
    livrable.atelier = atelier
    return livrable


def livrables_de(atelier: Atelier) -> list[LivrableDeLAtelier]:
    """The five livrables of the atelier in the programme's order, with their planned date and
    their number of versions: two queries whatever their history."""
    existants = {
        lv.type: lv
        for lv in Livrable.objects.filter(atelier=atelier).annotate(
            nombre_de_versions=Count("versions")
        )
    }
    dates = etapes_prevues(atelier)
    resultat = []
    for type in TypeLivrable:
        livrable = existants.get(type) or Livrable(atelier=atelier, type=type)
        livrable.atelier = atelier
        etape = dates.get(ETAPE_DU_TYPE[type])
        resultat.append(
            LivrableDeLAtelier(
                livrable=livrable,
                echeance=etape.date_prevue if etape else None,
                nombre_de_versions=getattr(livrable, "nombre_de_versions", 0),
            )
        )
    return resultat


# What the page of a livrable reads of the comments and avis of the versions it shows in full:
# the answering version for its number only, not its whole frozen content; ordered without the
# model's ordering by version, which joins the versions again (the prefetch groups them).
COMMENTAIRES_ET_AVIS = (
    Prefetch(
        "commentaires",
        queryset=Commentaire.objects.select_related("repondu_dans")
        .only(*CHAMPS_COMMENTAIRE, "repondu_dans__numero")
        .order_by("cree_le", "pk"),
    ),
    Prefetch(
        "avis",
        queryset=Avis.objects.select_related("collectivite").order_by("donne_le", "pk"),
    ),
)


def versions_de(livrable: Livrable) -> QuerySet[VersionLivrable]:
    """The versions of a livrable, newest first, with who deposited them, their file, and how
    many comments were sent on each and avis given, in one query whatever their number; the
    comments and avis themselves are read by `avec_commentaires`, for the versions shown in
    full."""
    return (
        VersionLivrable.objects.filter(livrable_id=livrable.pk)
        .select_related("deposee_par", "fichier")
        .annotate(
            nombre_de_commentaires=Count(
                "commentaires", filter=Q(commentaires__envoye=True), distinct=True
            ),
            nombre_d_avis=Count("avis", distinct=True),
        )
        .order_by("-numero")
    )


def avec_commentaires(versions: list[VersionLivrable]) -> list[VersionLivrable]:
    """These versions with their comments (and answers) and avis: two queries for all."""
    prefetch_related_objects(versions, *COMMENTAIRES_ET_AVIS)
    return versions


def version_en_revue(livrable: Livrable) -> VersionLivrable | None:
    """The latest version, with its comments and avis; None before the first dépôt."""
    if livrable.pk is None:
        return None
    return next(iter(avec_commentaires(list(versions_de(livrable)[:1]))), None)


def derniere_version(livrable: Livrable) -> VersionLivrable | None:
    if livrable.pk is None:
        return None
    return VersionLivrable.objects.filter(livrable=livrable).order_by("-numero").first()


def prochain_numero(livrable: Livrable) -> int:
    dernier = VersionLivrable.objects.filter(livrable=livrable).aggregate(n=Max("numero"))["n"]
    return (dernier or 0) + 1


def jalons_atteints(livrable: Livrable) -> list[str]:
    """The milestones the validation of `livrable` reaches: its own, and « livrables finaux »
    when it is the last of the four final ones (the validation locks the atelier's row: two
    validations at once count each other)."""
    jalons: list[str] = [JALON_DU_TYPE[livrable.type]]
    if livrable.type in FINAUX:
        valides = set(
            Livrable.objects.filter(atelier_id=livrable.atelier_id, type__in=FINAUX)
            .valides()
            .values_list("type", flat=True)
        )
        if (valides | {livrable.type}) == set(FINAUX):
            jalons.append(Jalon.LIVRABLES_FINAUX)
    return jalons
