"""Reads about ateliers used in more than one place, above all what a user may see."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from ateliers.models import Atelier, Evenement
from comptes.models import Role
from comptes.selectors import profil
from documents.models import Document


def ateliers_visibles(user):
    """The ateliers this user may see: all for DGALN and admins, otherwise those of their
    territory (DDT(M), DREAL), those they carry (collectivité, opérateur) or work on (groupement).
    """
    p = profil(user)
    if not user.is_authenticated:
        return Atelier.objects.none()
    if p.est_admin or p.est_dgaln:
        return Atelier.objects.all()
    q = Q()
    if p.departements:
        q |= Q(departements__in=p.departements)
    if p.regions:
        q |= Q(departements__region__in=p.regions)
    if p.ids(Role.SERVICE_ETAT):
        q |= Q(service_pilote__in=p.ids(Role.SERVICE_ETAT))
    if p.ids(Role.COLLECTIVITE):
        q |= Q(collectivites__in=p.ids(Role.COLLECTIVITE))
    if p.ids(Role.OPERATEUR):
        q |= Q(operateur__in=p.ids(Role.OPERATEUR))
    if p.ids(Role.GROUPEMENT):
        q |= Q(groupement__in=p.ids(Role.GROUPEMENT))
    if not q:
        return Atelier.objects.none()
    # A subquery rather than a join, so an atelier reached through two routes appears once.
    return Atelier.objects.filter(pk__in=Atelier.objects.filter(q).values("pk"))


def atelier_pour_liste(queryset):
    """Everything a list row shows, loaded in a fixed number of queries."""
    return queryset.select_related("service_pilote", "groupement", "operateur").prefetch_related(
        "departements__region", "collectivites"
    )


def journal_atelier(atelier):
    """The atelier's journal, newest first, with who acted and for which organisation."""
    return Evenement.objects.filter(atelier=atelier).select_related("par", "organisation")


def organisation_au_titre_de(user, atelier=None):
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


def q_permission(user, permission):
    """The ateliers on which `user` holds `permission`, as a filter (mirrors ateliers/rules.py)."""
    from ateliers.models import INSTRUIRE, PILOTER, PORTER

    p = profil(user)
    pilote = Q(service_pilote__in=p.ids(Role.SERVICE_ETAT))
    if permission == INSTRUIRE:
        return Q() if p.est_dgaln else None
    if permission == PILOTER:
        return pilote if p.ids(Role.SERVICE_ETAT) else None
    if permission == PORTER:
        q = (
            pilote
            | Q(collectivites__in=p.ids(Role.COLLECTIVITE))
            | Q(operateur__in=p.ids(Role.OPERATEUR))
        )
        return (
            q
            if p.ids(Role.SERVICE_ETAT) | p.ids(Role.COLLECTIVITE) | p.ids(Role.OPERATEUR)
            else None
        )
    return None


# What later stages expect of a user, registered from their AppConfig.ready(): each is called
# as fournisseur(user) and returns a filter on Atelier, or None.
_A_TRAITER = []


def enregistrer_a_traiter(fournisseur):
    """Add the ateliers a later stage waits on this user for (« à traiter »)."""
    _A_TRAITER.append(fournisseur)


@dataclass(frozen=True)
class Demande:
    """A request addressed to one person by name rather than to a role on an atelier (an avis),
    answered on its own page."""

    libelle: str
    url: str
    depuis: datetime.datetime


# Requests addressed to a user by name, registered like the providers above: each is called as
# fournisseur(user) and returns a list of Demande.
_DEMANDES = []


def enregistrer_demandes(fournisseur):
    """Add the requests a later stage addressed to this user (their « à traiter » too)."""
    _DEMANDES.append(fournisseur)


def demandes_a_traiter(user):
    """The requests addressed to this user and still waiting for them, the oldest first."""
    return sorted((d for f in _DEMANDES for d in f(user)), key=lambda d: d.depuis)


def ateliers_a_traiter(user):
    """The ateliers waiting for this user: those where they may take the next step forward
    (an exit or the correction of a decision is possible, never expected), and those a later
    stage waits on them for."""
    champ = Atelier._meta.get_field("phase")
    q = Q(pk__in=[])
    for fournisseur in _A_TRAITER:
        q_etape = fournisseur(user)
        if q_etape is not None:
            q |= q_etape
    for t in champ.get_all_transitions(Atelier):
        if t.custom.get("danger") or t.custom.get("correction"):
            continue
        q_perm = q_permission(user, t.permission)
        if q_perm is not None:
            q |= Q(phase=t.source) & q_perm
    visibles = ateliers_visibles(user)
    return visibles.filter(pk__in=visibles.filter(q).values("pk"))


FICHE_GABARIT = "pdf/fiche_atelier.html"


def version_fiche(atelier):
    """What the fiche shows changes only with the atelier's row or its journal."""
    dernier = Evenement.objects.filter(atelier=atelier).order_by("-pk").values_list("pk", flat=True)
    return f"{atelier.modifie_le:%Y%m%d%H%M%S%f}-{dernier.first() or 0}"


def fiche_actuelle(atelier):
    """The fiche PDF of the atelier's current version, if someone asked for it."""
    return Document.objects.filter(
        source_type=ContentType.objects.get_for_model(Atelier),
        source_id=str(atelier.pk),
        gabarit=FICHE_GABARIT,
        version_source=version_fiche(atelier),
    ).first()


def organisations_porteuses(atelier):
    """The ids of the atelier's porteur organisations: collectivités, State service, opérateur."""
    organisations = [o.pk for o in atelier.collectivites.all()]
    return organisations + [pk for pk in (atelier.service_pilote_id, atelier.operateur_id) if pk]


def courriels_porteurs(atelier):
    """Addresses of the people of the atelier's porteur organisations, each once."""
    from comptes.selectors import courriels_membres

    return courriels_membres(organisations_porteuses(atelier))
