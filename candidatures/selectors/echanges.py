"""Reads on the exchanges around a candidature: the thread, the colleagues who may give an
opinion, the opinions a user is asked for."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse

from ateliers.selectors import Demande, organisations_porteuses
from candidatures.models import (
    Candidature,
    DemandeAvis,
    Message,
)
from comptes.models import AnyUser, Organisation, Utilisateur
from documents.models import FichierDepose


def fil_echanges(candidature: Candidature) -> list[Message]:
    """The thread's messages, oldest first, each with its attachments in `pieces`; in three
    queries whatever the number of messages."""
    messages = list(
        Message.objects.filter(candidature=candidature).select_related("auteur", "organisation")
    )
    pieces: dict[str | None, list[FichierDepose]] = {}
    if messages:
        type_message = ContentType.objects.get_for_model(Message)
        for fichier in FichierDepose.objects.filter(
            proprietaire_type=type_message,
            proprietaire_id__in=[str(m.pk) for m in messages],
        ).order_by("pk"):
            pieces.setdefault(fichier.proprietaire_id, []).append(fichier)
    for message in messages:
        # An attribute of ours on each message, hence the ignore.
        message.pieces = pieces.get(str(message.pk), [])  # type: ignore[attr-defined]
    return messages


def experts_possibles(*, candidature: Candidature, sauf: Utilisateur) -> QuerySet[Utilisateur]:
    """Who DGALN may ask for an opinion on this candidature: the active agents of DGALN and of
    the State's services, the asker aside, and none of the atelier's porteurs (the members of
    its collectivités, State service and opérateur), who never see an avis."""
    types = [Organisation.Type.DGALN, Organisation.Type.DDT, Organisation.Type.DREAL]
    return (
        Utilisateur.objects.filter(is_active=True, organisations__type__in=types)
        .exclude(pk=sauf.pk)
        .exclude(organisations__in=organisations_porteuses(candidature.atelier))
        .distinct()
        .order_by("nom", "prenom")
    )


def avis_a_rendre(user: AnyUser) -> list[Demande]:
    """The opinions this user was asked for and has not given yet, for their « à traiter »:
    the avis page, not the atelier's, which the colleague may not see."""
    if not user.is_authenticated:
        return []
    return [
        Demande(
            libelle=f"Donner votre avis sur la candidature {demande.candidature.atelier}",
            url=reverse("candidatures:avis", args=[demande.pk]),
            depuis=demande.demande_le,
        )
        for demande in DemandeAvis.objects.filter(
            expert=user, rendu_le__isnull=True
        ).select_related("candidature__atelier")
    ]
