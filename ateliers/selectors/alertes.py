"""Alerts: the causes the daily job looks for, and the open alerts a user is shown."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from ateliers.models import PHASES_ACCOMPAGNEMENT, Alerte, Atelier
from ateliers.models.cadrage import plus_mois
from comptes.dates import date_longue
from comptes.models import AnyUser


@dataclass(frozen=True)
class Cause:
    """Something late in one atelier, as one alert says it; `groupement`: the groupement is
    told too (it is theirs to do)."""

    atelier_id: int
    nature: str
    libelle: str
    cle: str = ""
    groupement: bool = False


def causes_duree(aujourd_hui: datetime.date) -> list[Cause]:
    """The ateliers still in accompagnement past the programme's months (12 by default, then
    15): one query for both thresholds."""
    premier, second = settings.ALERTE_DUREE_MOIS
    seuils = ((second, Alerte.Nature.QUINZE_MOIS), (premier, Alerte.Nature.DOUZE_MOIS))
    lignes = Atelier.objects.filter(
        phase__in=PHASES_ACCOMPAGNEMENT,
        debut_accompagnement__lte=plus_mois(aujourd_hui, -premier),
    ).values_list("pk", "debut_accompagnement")
    causes = []
    for pk, debut in lignes:
        for mois, nature in seuils:
            if plus_mois(debut, mois) <= aujourd_hui:
                causes.append(
                    Cause(
                        atelier_id=pk,
                        nature=nature,
                        libelle=(
                            f"L'accompagnement a commencé le {date_longue(debut)} : il dépasse "
                            f"{mois} mois."
                        ),
                        groupement=True,
                    )
                )
    return causes


def causes_sessions(aujourd_hui: datetime.date) -> list[Cause]:
    """A session planned but not recorded as held some days after its last day (the pilot's
    to record), a session held whose compte-rendu has no synthèse some days after (the
    groupement's to write): two queries."""
    from ateliers.models import CompteRendu, Session

    S = Session.Statut
    causes = []
    delai = datetime.timedelta(days=settings.ALERTE_SESSION_NON_TENUE_JOURS)
    # An atelier closed or exited has no session to hold nor compte-rendu to write any more.
    suivies = Session.objects.filter(atelier__phase__in=PHASES_ACCOMPAGNEMENT)
    passees = suivies.filter(
        statut__in=[S.PLANIFIEE, S.CONVOCATIONS_ENVOYEES],
        date__lt=aujourd_hui - delai - datetime.timedelta(days=1),
    ).values_list("pk", "atelier_id", "numero", "date", "nombre_de_jours")
    for pk, atelier_id, numero, jour, jours in passees:
        fin = jour + datetime.timedelta(days=jours - 1)
        if fin + delai < aujourd_hui:
            causes.append(
                Cause(
                    atelier_id=atelier_id,
                    nature=Alerte.Nature.SESSION_NON_TENUE,
                    cle=f"session:{pk}",
                    libelle=(
                        f"La session {numero} était prévue le {date_longue(jour)} : elle n'est "
                        "pas enregistrée comme tenue."
                    ),
                )
            )
    delai = datetime.timedelta(days=settings.ALERTE_COMPTE_RENDU_JOURS)
    ecrits = CompteRendu.objects.exclude(synthese="").values("session_id")
    sans_compte_rendu = (
        suivies.filter(statut=S.TENUE, date__lt=aujourd_hui - delai)
        .exclude(pk__in=ecrits)
        .values_list("pk", "atelier_id", "numero", "date", "nombre_de_jours")
    )
    for pk, atelier_id, numero, jour, jours in sans_compte_rendu:
        fin = jour + datetime.timedelta(days=jours - 1)
        if fin + delai < aujourd_hui:
            causes.append(
                Cause(
                    atelier_id=atelier_id,
                    nature=Alerte.Nature.COMPTE_RENDU_ATTENDU,
                    cle=f"session:{pk}",
                    libelle=(
                        f"La session {numero} s'est tenue le {date_longue(jour)} : son "
                        f"compte-rendu n'est pas écrit, {delai.days} jours après."
                    ),
                    groupement=True,
                )
            )
    return causes


def alertes_ouvertes(ateliers: QuerySet[Atelier]) -> QuerySet[Alerte]:
    """The open alerts of these ateliers (a queryset the caller has limited to what the user
    sees), the latest first."""
    return Alerte.objects.filter(resolue_le__isnull=True, atelier__in=ateliers).select_related(
        "atelier"
    )


def alertes_par_atelier(pks: list[int]) -> dict[int, int]:
    """How many open alerts each of these ateliers has (one query, for a list's badges)."""
    from django.db.models import Count

    return dict(
        Alerte.objects.filter(resolue_le__isnull=True, atelier_id__in=pks)
        .values_list("atelier_id")
        .annotate(n=Count("pk"))
        .values_list("atelier_id", "n")
    )


def voit_les_alertes(user: AnyUser, atelier: Atelier) -> bool:
    return bool(user.has_perm("ateliers.voir_calendrier", atelier))


def alertes_pour(user: AnyUser) -> QuerySet[Alerte]:
    """The open alerts of the ateliers whose accompagnement this user follows, the latest
    first."""
    from ateliers.selectors import q_suit_accompagnement

    q = q_suit_accompagnement(user, "atelier__")
    ouvertes = Alerte.objects.filter(resolue_le__isnull=True).select_related("atelier")
    if q is None:
        return ouvertes.none()
    # By key: a route through the collectivités is a join that would repeat an alert.
    return ouvertes.filter(pk__in=Alerte.objects.filter(q).values("pk"))
