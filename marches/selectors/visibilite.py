"""What a user may see of the marchés: the panel's and DGALN's marchés, a groupement's
consultations."""

from typing import Any

from django.db.models import QuerySet

from ateliers.models import Atelier
from comptes.models import AnyUser, Role
from comptes.selectors import profil
from marches.models import Consultation, MarcheSubsequent


def marches_visibles(user: AnyUser) -> QuerySet[MarcheSubsequent]:
    """The marchés this user may open: all for DGALN and admins; for the others, those of the
    ateliers they pilot or carry (the selection panel), never a groupement's (a groupement reads
    its consultations instead). Mirrors marches.view_marchesubsequent."""
    p = profil(user)
    if not user.is_authenticated:
        return MarcheSubsequent.objects.none()
    if p.est_admin or p.est_dgaln:
        return MarcheSubsequent.objects.all()
    routes: list[QuerySet[Any, Any]] = []
    for champ, role in (("service_pilote", Role.SERVICE_ETAT), ("operateur", Role.OPERATEUR)):
        if p.ids(role):
            routes.append(Atelier.objects.filter(**{f"{champ}__in": p.ids(role)}).values("pk"))
    if p.ids(Role.COLLECTIVITE):
        routes.append(
            Atelier.collectivites.through.objects.filter(
                organisation__in=p.ids(Role.COLLECTIVITE)
            ).values("atelier_id")
        )
    if not routes:
        return MarcheSubsequent.objects.none()
    routes = [r.order_by() for r in routes]
    return MarcheSubsequent.objects.filter(atelier__in=routes[0].union(*routes[1:]))


def marches_decp(user: AnyUser) -> QuerySet[MarcheSubsequent]:
    """The notified marchés whose données essentielles this user publishes: every one for DGALN
    and superusers, those its State services pilot otherwise. Mirrors marches.voir_decp, in
    one query instead of a permission check per marché."""
    notifies = marches_visibles(user).filter(statut=MarcheSubsequent.Statut.NOTIFIE)
    p = profil(user)
    if user.is_superuser or p.est_dgaln:
        return notifies
    return notifies.filter(atelier__service_pilote__in=p.ids(Role.SERVICE_ETAT))


def membre_du_jury_de(user: AnyUser, atelier: Atelier) -> bool:
    """Is this user on the selection panel of the atelier's marché: its pilot, its opérateur or
    one of its collectivités porteuses (no query beyond the atelier's collectivités)."""
    from ateliers.rules import collectivite_porteuse, operateur_atelier, pilote_atelier

    return bool(
        pilote_atelier(user, atelier)
        or operateur_atelier(user, atelier)
        or collectivite_porteuse(user, atelier)
    )


def consultations_du_groupement(user: AnyUser) -> QuerySet[Consultation]:
    """The consultation rounds in which one of this user's groupements was consulted."""
    ids = profil(user).ids(Role.GROUPEMENT)
    if not ids:
        return Consultation.objects.none()
    return Consultation.objects.filter(
        pk__in=Consultation.consultes.through.objects.filter(organisation__in=ids).values(
            "consultation_id"
        )
    )


def marche_actuel(atelier: Atelier) -> MarcheSubsequent | None:
    """The atelier's live marché, or its latest one when all were classed without follow-up."""
    marches = (
        MarcheSubsequent.objects.filter(atelier=atelier)
        .select_related("accord_cadre", "attributaire")
        .order_by("-numero")
    )
    return marches.vivants().first() or marches.first()
