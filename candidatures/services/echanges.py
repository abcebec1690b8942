"""The thread with the porteurs, DGALN's annotations and the colleagues' opinions."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ateliers.selectors import courriels_porteurs, organisation_au_titre_de
from ateliers.services import (
    ActionImpossible,
)
from candidatures.models import (
    INSTRUIRE,
    Annotation,
    Candidature,
    DemandeAvis,
    Message,
)
from candidatures.rules import expert_sollicite
from candidatures.selectors import (
    experts_possibles,
)
from candidatures.services._commun import _lien_vers
from comptes.models import Utilisateur
from comptes.selectors import courriels_dgaln, profil
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import fichier_deposer
from documents.verification import Usage


def _message_creer(*, candidature: Candidature, par: Utilisateur, texte: str) -> Message:
    """A message of the thread, signed by its author for the organisation they act for."""
    return Message.objects.create(
        candidature=candidature,
        auteur=par,
        organisation=organisation_au_titre_de(par, candidature.atelier),
        de_la_dgaln=profil(par).est_dgaln,
        texte=texte,
    )


@transaction.atomic
def message_envoyer(
    *,
    candidature: Candidature,
    par: Utilisateur,
    texte: str,
    pieces: Sequence[UploadedFile] = (),
) -> Message:
    """Add a message to the candidature's thread, its attachments checked and stored with it;
    the other side (the porteurs, or DGALN) is told by e-mail with a link, never the files."""
    if not par.has_perm("candidatures.echanger", candidature):
        raise PermissionDenied("Seuls la DGALN et les porteurs écrivent dans ces échanges.")
    atelier = candidature.atelier
    message = _message_creer(candidature=candidature, par=par, texte=texte)
    de_la_dgaln = message.de_la_dgaln
    for piece in pieces:
        fichier_deposer(fichier=piece, par=par, proprietaire=message, usage=Usage.RESSOURCE)
    courriel_ecrire_depuis_gabarit(
        gabarit="message_nouveau",
        contexte={
            "par": par,
            "atelier": atelier,
            "pieces": len(pieces),
            "lien": _lien_vers("candidatures:echanges", atelier.pk),
        },
        destinataires=courriels_porteurs(atelier) if de_la_dgaln else courriels_dgaln(),
    )
    return message


def annotation_ecrire(*, candidature: Candidature, par: Utilisateur, texte: str) -> Annotation:
    """Keep a DGALN-only note on the candidature."""
    if not par.has_perm(INSTRUIRE, candidature):
        raise PermissionDenied("Seule la DGALN annote un dossier.")
    return Annotation.objects.create(candidature=candidature, auteur=par, texte=texte)


@transaction.atomic
def avis_demander(
    *, candidature: Candidature, par: Utilisateur, expert: Utilisateur, question: str
) -> DemandeAvis:
    """Ask a colleague for an opinion on the dossier; they are told by e-mail and find it in
    their « à traiter ». Never one of the atelier's porteurs, who do not see avis."""
    if not par.has_perm(INSTRUIRE, candidature):
        raise PermissionDenied("Seule la DGALN demande l'avis d'un collègue.")
    if not experts_possibles(candidature=candidature, sauf=par).filter(pk=expert.pk).exists():
        raise ActionImpossible(
            "Ce collègue ne peut pas donner d'avis sur cette candidature : les porteurs de "
            "l'atelier ne voient pas les avis. Choisissez un agent de la DGALN ou d'un autre "
            "service de l'État."
        )
    demande = DemandeAvis.objects.create(
        candidature=candidature, demandeur=par, expert=expert, question=question
    )
    atelier = candidature.atelier
    courriel_ecrire_depuis_gabarit(
        gabarit="avis_demande",
        contexte={
            "par": par,
            "atelier": atelier,
            "lien": _lien_vers("candidatures:avis", demande.pk),
        },
        destinataires=[expert.email],
    )
    return demande


@transaction.atomic
def avis_rendre(*, demande: DemandeAvis, par: Utilisateur, avis: str) -> DemandeAvis:
    """The colleague gives the opinion asked; the asker is told. Given once."""
    # The role half of `candidatures.rendre_avis`; its other half (not given yet) is checked
    # on the locked row below.
    if not expert_sollicite(par, demande):
        raise PermissionDenied("Seul le collègue sollicité rend cet avis.")
    demande = DemandeAvis.objects.select_for_update().get(pk=demande.pk)
    if demande.rendu:
        raise ActionImpossible("Cet avis a déjà été rendu.")
    demande.avis, demande.rendu_le = avis, timezone.now()
    demande.save(update_fields=["avis", "rendu_le"])
    atelier = demande.candidature.atelier
    if demande.demandeur is not None:
        courriel_ecrire_depuis_gabarit(
            gabarit="avis_rendu",
            contexte={
                "par": par,
                "atelier": atelier,
                "lien": _lien_vers("candidatures:instruction", atelier.pk),
            },
            destinataires=[demande.demandeur.email],
        )
    return demande
