"""The offers received on PLACE, as the pilot records them: their receipt (in time or not),
amounts and pieces, their conformity (irrégulière, inacceptable, régularisation) and their
audition during the analysis."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ateliers.services import ActionImpossible, journal_ecrire, transition_appliquer
from comptes.models import Organisation, Utilisateur
from comptes.selectors import courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import fichier_deposer
from documents.verification import Usage
from marches.models import (
    PILOTER_MARCHE,
    Audition,
    CodeConsultation,
    CodeOffre,
    Consultation,
    MarcheSubsequent,
    Offre,
    TitulaireAccordCadre,
    TypeGroupement,
)
from marches.selectors.consultation import consultation_actuelle
from marches.services._commun import lien_vers, marche_verrouille
from marches.services.consultation import date_heure

S = MarcheSubsequent.Statut
PIECES = ("note_methodologique", "presentation_competences", "proposition_financiere")


def en_euros(montant: Decimal) -> str:
    """« 95 000,50 € » (« 95 000 € » for a whole amount), spaced like the templates' amounts."""
    entier, _, centimes = f"{montant:,.2f}".partition(".")
    texte = entier.replace(",", "\xa0")
    return f"{texte},{centimes} €" if centimes != "00" else f"{texte} €"


def decomposition_normaliser(lignes: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The bordereau's rows as stored: a named phase and its amount HT, two decimals."""
    resultat = []
    for numero, ligne in enumerate(lignes, start=1):
        phase = str(ligne.get("phase") or "").strip()
        try:
            montant = Decimal(str(ligne.get("montant_ht"))).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError, ValueError):
            montant = None
        if not phase or montant is None or montant < 0:
            raise ActionImpossible(
                f"Ligne {numero} de la décomposition du prix : indiquez la phase et son montant "
                "HT (positif)."
            )
        resultat.append({"phase": phase, "montant_ht": str(montant)})
    return resultat


def ecart_decomposition(lignes: Sequence[Mapping[str, Any]], montant_ht: Decimal) -> Decimal:
    """The sum of the breakdown minus the amount HT (0 when they agree)."""
    return sum((Decimal(str(ligne["montant_ht"])) for ligne in lignes), Decimal(0)) - montant_ht


def message_ecart(ecart: Decimal) -> str:
    sens = "dépasse le" if ecart > 0 else "est inférieure au"
    return (
        f"La somme de la décomposition par phase {sens} montant HT de "
        f"{en_euros(abs(ecart))} : corrigez une phase ou le montant HT."
    )


def _refuser_si_non_pilote(marche: MarcheSubsequent, par: Utilisateur) -> None:
    if not par.has_perm(PILOTER_MARCHE, marche):
        raise PermissionDenied("Seul le service pilote enregistre et examine les offres.")


@transaction.atomic
def offre_enregistrer(
    *,
    consultation: Consultation,
    groupement: Organisation,
    recue_le: datetime.datetime,
    montant_ht: Decimal,
    montant_tva: Decimal,
    decomposition: Sequence[Mapping[str, Any]],
    note_methodologique: UploadedFile,
    presentation_competences: UploadedFile,
    proposition_financiere: UploadedFile,
    par: Utilisateur,
) -> Offre:
    """Record the offer a consulted groupement sent on PLACE for the current round, while the
    marché is in consultation or in analysis: one per groupement and round, its three pieces
    checked PDFs owned by the offer, its amounts (TTC = HT + TVA) and its breakdown by phase
    (summing to the amount HT). It answers the latest CCTP version published before its
    receipt. Received after the deadline, it is recorded « hors délai » in the same step and
    excluded from the analysis with that reason."""
    _refuser_si_non_pilote(consultation.marche, par)
    marche = marche_verrouille(consultation.marche)
    if marche.statut not in (S.EN_CONSULTATION, S.EN_ANALYSE):
        raise ActionImpossible(
            f"Le marché est « {marche.get_statut_display()} » : les offres s'enregistrent "
            "pendant la consultation et l'analyse."
        )
    if consultation_actuelle(marche) != consultation:
        raise ActionImpossible("Cette consultation n'est plus celle en cours sur le marché.")
    if not consultation.consultes.filter(pk=groupement.pk).exists():
        raise ActionImpossible(
            f"« {groupement.nom} » n'a pas été consulté : son offre ne peut pas être enregistrée."
        )
    if Offre.objects.filter(consultation=consultation, groupement=groupement).exists():
        raise ActionImpossible(
            f"L'offre de « {groupement.nom} » est déjà enregistrée pour cette consultation."
        )
    maintenant = timezone.now()
    if recue_le > maintenant:
        raise ActionImpossible("La date et l'heure de réception sont dans le futur.")
    if timezone.localdate(recue_le) < consultation.publiee_le:
        raise ActionImpossible(
            "L'offre aurait été reçue avant la publication de la consultation : vérifiez la date."
        )
    montant_ht, montant_tva = Decimal(montant_ht), Decimal(montant_tva)
    if montant_ht <= 0 or montant_tva < 0:
        raise ActionImpossible("Le montant HT est positif et la TVA n'est pas négative.")
    lignes = decomposition_normaliser(decomposition)
    if not lignes:
        raise ActionImpossible("Recopiez la décomposition du prix par phase du bordereau.")
    ecart = ecart_decomposition(lignes, montant_ht)
    if ecart:
        raise ActionImpossible(message_ecart(ecart))
    version = (
        consultation.versions_cctp.filter(publiee_le__lte=recue_le).order_by("-numero").first()
        or consultation.versions_cctp.order_by("numero").first()
    )
    if version is None:
        raise ActionImpossible("Aucune version du CCTP n'est publiée pour cette consultation.")
    titularite = TitulaireAccordCadre.objects.filter(
        accord_cadre_id=marche.accord_cadre_id, groupement=groupement
    ).first()
    offre = Offre.objects.create(
        consultation=consultation,
        groupement=groupement,
        version_cctp=version,
        recue_le=recue_le,
        montant_ht=montant_ht,
        montant_tva=montant_tva,
        montant_ttc=montant_ht + montant_tva,
        decomposition=lignes,
        type_groupement=titularite.type_groupement if titularite else TypeGroupement.CONJOINT,
        enregistree_par=par,
    )
    pieces = {
        "note_methodologique": note_methodologique,
        "presentation_competences": presentation_competences,
        "proposition_financiere": proposition_financiere,
    }
    for champ, fichier in pieces.items():
        setattr(
            offre,
            champ,
            fichier_deposer(fichier=fichier, par=par, proprietaire=offre, usage=Usage.PIECE_MARCHE),
        )
    offre.save(update_fields=list(PIECES))
    if recue_le > consultation.date_limite:
        # One action, one line: the line of the late receipt says it was recorded.
        return transition_appliquer(
            objet=offre,
            transition="constater_hors_delai",
            par=par,
            vu=Offre.Statut.RECUE,
            commentaire=f"Reçue le {date_heure(recue_le)}, après la date limite du "
            f"{date_heure(consultation.date_limite)}",
        )
    journal_ecrire(
        code=CodeOffre.ENREGISTREE,
        objet=offre,
        atelier=marche.atelier,
        par=par,
        libelle="Offre enregistrée",
        commentaire=f"Reçue le {date_heure(recue_le)} (consultation n° {consultation.numero})",
    )
    return offre


def _offre_changer(
    *, offre: Offre, transition: str, par: Utilisateur, vu: str, **kwargs: Any
) -> Offre:
    """Fire a conformity decision on an offer while the marché is in analysis."""
    _refuser_si_non_pilote(offre.consultation.marche, par)
    marche = marche_verrouille(offre.consultation.marche)
    if marche.statut != S.EN_ANALYSE:
        raise ActionImpossible(
            f"Le marché est « {marche.get_statut_display()} » : la conformité des offres "
            "s'examine pendant l'analyse."
        )
    return transition_appliquer(objet=offre, transition=transition, par=par, vu=vu, **kwargs)


@transaction.atomic
def offre_declarer_irreguliere(*, offre: Offre, par: Utilisateur, vu: str, motif: str) -> Offre:
    """The offer is incomplete or does not comply with the CCTP: excluded from the ranking, with
    its reason."""
    return _offre_changer(
        offre=offre, transition="declarer_irreguliere", par=par, vu=vu, motif=motif
    )


@transaction.atomic
def offre_declarer_inacceptable(*, offre: Offre, par: Utilisateur, vu: str, motif: str) -> Offre:
    """The offer's price exceeds the credits available: excluded from the ranking, with its
    reason."""
    return _offre_changer(
        offre=offre, transition="declarer_inacceptable", par=par, vu=vu, motif=motif
    )


@transaction.atomic
def offre_demander_regularisation(*, offre: Offre, par: Utilisateur, vu: str, motif: str) -> Offre:
    """Ask the groupement to regularise its offer (what is missing, by when): its members are
    e-mailed, and no one else."""
    offre = _offre_changer(
        offre=offre, transition="demander_regularisation", par=par, vu=vu, motif=motif
    )
    marche = offre.consultation.marche
    courriel_ecrire_depuis_gabarit(
        gabarit="offre_regularisation",
        contexte={
            "marche": marche,
            "consultation": offre.consultation,
            "offre": offre,
            "lien": lien_vers("marches:consultation", offre.consultation_id),
        },
        destinataires=courriels_membres([offre.groupement_id]),
    )
    return offre


@transaction.atomic
def offre_regulariser(*, offre: Offre, par: Utilisateur, vu: str, commentaire: str = "") -> Offre:
    """The groupement has regularised its offer: it is analysed like the others again."""
    return _offre_changer(
        offre=offre, transition="regulariser", par=par, vu=vu, commentaire=commentaire.strip()
    )


@transaction.atomic
def audition_enregistrer(
    *,
    offre: Offre,
    date: datetime.datetime,
    participants: str,
    compte_rendu: str,
    par: Utilisateur,
) -> Audition:
    """Record (or correct) the hearing of the groupement about its offer during the analysis;
    its minutes go to the rapport d'analyse."""
    _refuser_si_non_pilote(offre.consultation.marche, par)
    marche = marche_verrouille(offre.consultation.marche)
    if marche.statut != S.EN_ANALYSE:
        raise ActionImpossible(
            f"Le marché est « {marche.get_statut_display()} » : les auditions se tiennent "
            "pendant l'analyse des offres."
        )
    offre = Offre.objects.select_for_update().get(pk=offre.pk)
    if offre.exclue:
        raise ActionImpossible(
            f"Cette offre est « {offre.get_statut_display()} » : elle n'est pas auditionnée."
        )
    participants, compte_rendu = participants.strip(), compte_rendu.strip()
    if not participants or not compte_rendu:
        raise ActionImpossible("Indiquez les participants et le compte-rendu de l'audition.")
    if date > timezone.now():
        raise ActionImpossible("Une audition s'enregistre une fois tenue : sa date est passée.")
    audition, creee = Audition.objects.update_or_create(
        offre=offre,
        defaults={
            "date": date,
            "participants": participants,
            "compte_rendu": compte_rendu,
            "modifiee_le": timezone.now(),
            "modifiee_par": par,
        },
    )
    journal_ecrire(
        code=CodeConsultation.AUDITION,
        objet=audition,
        atelier=marche.atelier,
        par=par,
        libelle="Audition enregistrée" if creee else "Compte-rendu d'audition corrigé",
        commentaire=f"Audition du {date_heure(date)}",
    )
    return audition
