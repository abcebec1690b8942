"""Writes on accounts that are not a user's own action, and the outbox of every e-mail."""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from functools import partial
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.template.loader import render_to_string
from django.utils import timezone

from comptes.models import AnyUser, Courriel, Organisation, Role, Utilisateur, siren_validator
from comptes.validators import sur_une_ligne
from config.celery import publier_sans_attendre
from territoires.models import EPCI

logger = logging.getLogger(__name__)

# The durations promised on the « Données personnelles » page.
CONSERVATION_COMPTE = timedelta(days=2 * 365)
CONSERVATION_JOURNAL_CONNEXIONS = timedelta(days=365)


# An erased account keeps its row, so the journal lines it wrote still point to it.
DOMAINE_COMPTE_EFFACE = "supprime.invalid"


@transaction.atomic
def donnees_personnelles_purger(*, maintenant: datetime | None = None) -> dict[str, int]:
    """Erase what the privacy notice says is kept no longer: old login traces and idle accounts.

    Accounts unused for two years are deleted; one that the journal or a deposited dossier
    names (who acted, who deposited) is emptied of the person instead, as the journal is never
    rewritten. Administrators are never erased automatically.
    """
    maintenant = maintenant or timezone.now()
    fin_blocage = maintenant - settings.AXES_COOLOFF_TIME
    limite_compte = maintenant - CONSERVATION_COMPTE
    comptes = (
        Utilisateur.objects.filter(is_staff=False)
        .filter(
            Q(last_login__lt=limite_compte)
            | Q(last_login__isnull=True, date_joined__lt=limite_compte)
        )
        .exclude(email__endswith=f"@{DOMAINE_COMPTE_EFFACE}")
    )
    supprimes = anonymises = 0
    for compte in comptes:
        try:
            with transaction.atomic():
                compte.delete()
            supprimes += 1
        except ProtectedError:
            _compte_effacer(compte)
            anonymises += 1
    return {
        "tentatives": AccessAttempt.objects.filter(attempt_time__lt=fin_blocage).delete()[0],
        "echecs": AccessFailureLog.objects.filter(attempt_time__lt=fin_blocage).delete()[0],
        "connexions": AccessLog.objects.filter(
            attempt_time__lt=maintenant - CONSERVATION_JOURNAL_CONNEXIONS
        ).delete()[0],
        "comptes": supprimes,
        "comptes_anonymises": anonymises,
    }


def _compte_effacer(compte: Utilisateur) -> None:
    compte.email = f"compte-{compte.pk}@{DOMAINE_COMPTE_EFFACE}"
    compte.prenom, compte.nom, compte.telephone = "", "Compte supprimé", ""
    compte.is_active = False
    compte.set_unusable_password()
    compte.save()
    compte.adhesions.all().delete()


@transaction.atomic
def utilisateurs_desactiver(
    *, utilisateurs: Iterable[Utilisateur], par: AnyUser
) -> list[Utilisateur]:
    """Close accounts without deleting them: they can no longer log in (an open session ends at
    its next request) and the journal and the dossiers keep their names. Never `par`'s own."""
    if not isinstance(par, Utilisateur) or not par.has_perm("comptes.change_utilisateur"):
        raise PermissionDenied("Seul un administrateur désactive un compte.")
    comptes = list(
        Utilisateur.objects.select_for_update()
        .filter(pk__in=[u.pk for u in utilisateurs], is_active=True)
        .exclude(pk=par.pk)
    )
    Utilisateur.objects.filter(pk__in=[c.pk for c in comptes]).update(is_active=False)
    return comptes


@dataclass(frozen=True)
class PieceJointe:
    """A text file sent with an e-mail: its name, its MIME type (with its parameters, as
    « text/calendar; method=REQUEST »), its content."""

    nom: str
    type_contenu: str
    contenu: str


@transaction.atomic
def courriel_ecrire(
    *,
    destinataires: Iterable[str],
    sujet: str,
    corps: str,
    html: str = "",
    gabarit: str = "",
    confidentiel: bool = False,
    piece_jointe: PieceJointe | None = None,
) -> list[Courriel]:
    """Write one e-mail per recipient to the outbox, in the caller's transaction: the action and
    its e-mails commit or roll back together. Delivery is queued once the commit is done. A
    confidential text (a link that opens an account) is never shown and is erased once sent.
    A text attachment (a calendar invitation) is written with it and sent with it."""
    sujet = sur_une_ligne(sujet)  # a header is one line, whatever the template ends with
    courriels = Courriel.objects.bulk_create(
        Courriel(
            destinataire=adresse,
            sujet=sujet,
            corps=corps,
            html=html,
            gabarit=gabarit,
            confidentiel=confidentiel,
            piece_jointe=piece_jointe.contenu if piece_jointe else "",
            piece_jointe_nom=piece_jointe.nom if piece_jointe else "",
            piece_jointe_type=piece_jointe.type_contenu if piece_jointe else "",
        )
        for adresse in dict.fromkeys(a for a in destinataires if a)
    )
    if courriels:
        # robust: an error after the commit never turns the committed action into an error page.
        transaction.on_commit(
            partial(courriels_mettre_en_file, [c.pk for c in courriels]), robust=True
        )
    return courriels


@transaction.atomic
def courriels_ecrire_en_lot(*, messages: Iterable[tuple[str, str, str]], gabarit: str = "") -> int:
    """Write many different e-mails (address, subject, body) to the outbox in one statement, in
    the caller's transaction, for a periodic job that writes to many people at once (the
    alerts); delivery is queued once the commit is done, like courriel_ecrire's."""
    courriels = Courriel.objects.bulk_create(
        Courriel(destinataire=adresse, sujet=sur_une_ligne(sujet), corps=corps, gabarit=gabarit)
        for adresse, sujet, corps in messages
        if adresse
    )
    if courriels:
        transaction.on_commit(
            partial(courriels_mettre_en_file, [c.pk for c in courriels]), robust=True
        )
    return len(courriels)


def courriel_ecrire_depuis_gabarit(
    *,
    gabarit: str,
    contexte: dict[str, Any],
    destinataires: Iterable[str],
    confidentiel: bool = False,
    piece_jointe: PieceJointe | None = None,
) -> list[Courriel]:
    """The same, with the subject and body rendered from templates/courriels/<gabarit>_sujet.txt
    and <gabarit>_corps.txt: the wording lives in templates, not in code."""
    return courriel_ecrire(
        destinataires=destinataires,
        sujet=render_to_string(f"courriels/{gabarit}_sujet.txt", contexte),
        corps=render_to_string(f"courriels/{gabarit}_corps.txt", contexte),
        gabarit=gabarit,
        confidentiel=confidentiel,
        piece_jointe=piece_jointe,
    )


def courriels_mettre_en_file(courriel_ids: Sequence[int]) -> None:
    """Queue the delivery of each e-mail without waiting on the broker: what could not be
    queued stays pending and the periodic job queues it (courriels_relancer)."""
    from comptes.tasks import courriel_envoyer as tache

    publier_sans_attendre(tache, [{"courriel_id": pk} for pk in courriel_ids])


def _message(courriel: Courriel) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        sur_une_ligne(courriel.sujet),
        courriel.corps,
        to=[courriel.destinataire],
        headers={"Message-ID": f"<{courriel.cle}@{DNS_NAME}>"},
    )
    if courriel.html:
        message.attach_alternative(courriel.html, "text/html")
    if courriel.piece_jointe:
        message.attach(_piece_jointe(courriel))
    return message


def _piece_jointe(courriel: Courriel) -> MIMEText:
    """The attachment as its MIME part, with the parameters of its type (« method=REQUEST »,
    which calendar clients read to tell an invitation from its cancellation)."""
    type_contenu, *parametres = (p.strip() for p in courriel.piece_jointe_type.split(";"))
    principal, sous_type = type_contenu.split("/", 1)
    if principal != "text":
        raise ValueError(f"Une pièce jointe du courriel est un texte, pas {type_contenu}.")
    partie = MIMEText(courriel.piece_jointe, sous_type, "utf-8")
    for parametre in parametres:
        nom, _, valeur = parametre.partition("=")
        partie.set_param(nom, valeur)
    partie.add_header("Content-Disposition", "attachment", filename=courriel.piece_jointe_nom)
    return partie


def courriel_envoyer(*, courriel_id: int) -> Courriel | None:
    """Send a pending e-mail and mark it sent under its row lock: a second task for the same row
    (queued twice, re-queued by the periodic job) finds it locked or sent and does nothing. An
    error of the mail server propagates with the row unchanged, for the task to record."""
    with transaction.atomic():
        courriel = (
            Courriel.objects.select_for_update(skip_locked=True)
            .filter(pk=courriel_id, etat=Courriel.Etat.EN_ATTENTE)
            .first()
        )
        if courriel is None:
            return None
        _message(courriel).send()
        courriel.envoyer()
        courriel.save()
    return courriel


@transaction.atomic
def courriel_echouer(*, courriel_id: int, erreur: str, delais: Sequence[int]) -> int | None:
    """Record a failed delivery; the seconds before the next attempt, taken from `delais` by the
    number of attempts so far, or None when none is left and the e-mail is given up (ECHEC)."""
    courriel = (
        Courriel.objects.select_for_update()
        .filter(pk=courriel_id, etat=Courriel.Etat.EN_ATTENTE)
        .first()
    )
    if courriel is None:
        return None
    if courriel.tentatives < len(delais):
        dans = delais[courriel.tentatives]
        courriel.reporter(erreur=erreur, dans=timedelta(seconds=dans))
        logger.warning(
            "Courriel %s non envoyé (%s) : nouvel essai dans %d s.", courriel.pk, erreur, dans
        )
    else:
        dans = None
        courriel.echouer(erreur=erreur)
        logger.error(
            "Courriel %s abandonné après %d tentative(s) : %s",
            courriel.pk,
            courriel.tentatives,
            erreur,
        )
    courriel.save()
    return dans


def courriels_relancer() -> int:
    """Queue again the pending e-mails due for more than COURRIELS_RELANCE_SECONDES (their
    message was lost); they are due again from now, so the next run leaves them to the queue.
    Their count. One queued twice is sent once (courriel_envoyer)."""
    maintenant = timezone.now()
    avant = maintenant - timedelta(seconds=settings.COURRIELS_RELANCE_SECONDES)
    with transaction.atomic():
        ids = list(Courriel.objects.a_relancer(avant).values_list("pk", flat=True))
        Courriel.objects.filter(pk__in=ids).update(prochain_essai_le=maintenant)
        if ids:
            logger.warning("%d courriel(s) en attente remis en file.", len(ids))
            transaction.on_commit(partial(courriels_mettre_en_file, ids), robust=True)
    return len(ids)


class SirenRefuse(Exception):
    """A SIREN that cannot name a collectivité porteuse; the message, in French, says why."""


@transaction.atomic
def collectivite_par_siren(
    *, siren: str, nom: str, sans_siren: Iterable[Organisation] = ()
) -> Organisation:
    """The portal's collectivité with this SIREN. When the portal has none, the collectivité of
    `sans_siren` (those the caller already knows, held without a SIREN) that bears the name
    `nom` receives it; otherwise it is created, named `nom`, typed « EPCI » (with its
    département) when the referential knows the SIREN as an EPCI's, « commune » for a commune's
    SIREN, « autre collectivité » otherwise. SirenRefuse for a malformed SIREN, or one that an
    organisation of another kind holds."""
    siren, nom = "".join(siren.split()), sur_une_ligne(nom)[:200]
    try:
        siren_validator(siren)
    except ValidationError as exc:
        raise SirenRefuse(
            f"Le SIREN « {siren} » de « {nom} » ne compte pas exactement 9 chiffres."
        ) from exc
    organisation = Organisation.objects.filter(siren=siren).first()
    if organisation is not None:
        if organisation.role != Role.COLLECTIVITE:
            raise SirenRefuse(
                f"Le SIREN {siren}, indiqué pour « {nom} », est dans le portail celui de "
                f"« {organisation} » ({organisation.get_type_display()}), qui n'est pas une "
                "collectivité."
            )
        return organisation
    homonyme = next(
        (
            o
            for o in sans_siren
            if not o.siren and o.role == Role.COLLECTIVITE and o.nom.casefold() == nom.casefold()
        ),
        None,
    )
    if homonyme is not None:
        homonyme = Organisation.objects.select_for_update().get(pk=homonyme.pk)
        homonyme.siren = siren
        homonyme.save(update_fields=["siren"])
        return homonyme
    epci = EPCI.objects.filter(siren=siren).select_related("departement").first()
    if epci is not None:
        type_ = Organisation.Type.EPCI
    elif siren.startswith("21"):
        # INSEE numbers the communes 21… (a commune nouvelle may have a 200… one).
        type_ = Organisation.Type.COMMUNE
    else:
        type_ = Organisation.Type.AUTRE_COLLECTIVITE
    return Organisation.objects.create(
        siren=siren,
        nom=nom or (epci.nom if epci else siren),
        type=type_,
        departement=epci.departement if epci else None,
    )
