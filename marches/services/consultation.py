"""A consultation round while it runs: the questions received on PLACE and their answers, the
groupements that decline, and its close once the deadline has passed (by the periodic task or
by the pilot's hand)."""

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ateliers.services import ActionImpossible, etat_verifier, journal_ecrire, transition_appliquer
from comptes.dates import date_heure_longue
from comptes.models import Organisation, Role, Utilisateur
from comptes.selectors import courriels_membres, profil
from comptes.services import courriel_ecrire_depuis_gabarit
from marches.models import (
    PILOTER_MARCHE,
    CodeConsultation,
    Consultation,
    MarcheSubsequent,
    MotifRenoncement,
    QuestionConsultation,
    Renoncement,
)
from marches.selectors.consultation import consultation_actuelle, temps_restant
from marches.services._commun import lien_marche, lien_vers, marche_verrouille

logger = logging.getLogger(__name__)
S = MarcheSubsequent.Statut


def date_heure(moment: datetime.datetime) -> str:
    """« 3 février 2026 à 12:00 », in Europe/Paris."""
    return date_heure_longue(moment)


def _consultation_en_cours(marche: MarcheSubsequent) -> Consultation:
    consultation = consultation_actuelle(marche)
    if marche.statut != S.EN_CONSULTATION or consultation is None:
        raise ActionImpossible(
            f"Le marché est « {marche.get_statut_display()} » : aucune consultation n'est en cours."
        )
    return consultation


def _courriels_pilote(marche: MarcheSubsequent) -> list[str]:
    service = marche.atelier.service_pilote_id
    return courriels_membres([service]) if service else []


def consultation_clore(
    *, marche: MarcheSubsequent, par: Utilisateur | None = None, vu: str = S.EN_CONSULTATION
) -> MarcheSubsequent:
    """Close the remise des offres of the marché's current round once its deadline has passed:
    the marché goes to analysis and the pilot is told how many offers arrived. `par` None is
    the periodic task; a second close of the same round (two runs at once, or the pilot's hand
    after the task) finds the marché moved on and is refused, writing nothing."""
    if par is not None and not par.has_perm(PILOTER_MARCHE, marche):
        raise PermissionDenied("Seul le service pilote clôt la remise des offres.")
    with transaction.atomic():
        marche = marche_verrouille(marche)
        etat_verifier(objet=marche, champ="statut", vu=vu)
        consultation = _consultation_en_cours(marche)
        maintenant = timezone.now()
        if maintenant < consultation.date_limite:
            raise ActionImpossible(
                "La date limite de remise des offres n'est pas passée : la remise se clôt le "
                f"{date_heure(consultation.date_limite)}, il reste "
                f"{temps_restant(consultation.date_limite, maintenant)}."
            )
        marche = transition_appliquer(
            objet=marche,
            transition="clore_consultation",
            par=par,
            vu=vu,
            commentaire=f"Consultation n° {consultation.numero} ({consultation.reference_place})"
            + (", à l'heure limite" if par is None else ", par le service pilote"),
        )
        consultation.close_le = maintenant
        consultation.save(update_fields=["close_le"])
        courriel_ecrire_depuis_gabarit(
            gabarit="consultation_close",
            contexte={
                "marche": marche,
                "atelier": marche.atelier,
                "consultation": consultation,
                "date_limite": date_heure(consultation.date_limite),
                "nombre_offres": consultation.offres.count(),
                "lien": lien_marche(marche),
            },
            destinataires=_courriels_pilote(marche),
        )
    return marche


def consultations_echues_clore() -> int:
    """Close every round whose deadline has passed and whose marché is still in consultation,
    each in its own transaction; how many were closed. Run by Celery beat every few minutes:
    a round another run or the pilot closed first is skipped."""
    a_clore = list(
        Consultation.objects.filter(
            marche__statut=S.EN_CONSULTATION,
            close_le__isnull=True,
            date_limite__lte=timezone.now(),
        )
        .order_by("date_limite")
        .values_list("marche_id", flat=True)
        .distinct()
    )
    closes = 0
    for marche_id in a_clore:
        marche = MarcheSubsequent.objects.get(pk=marche_id)
        try:
            consultation_clore(marche=marche, par=None, vu=S.EN_CONSULTATION)
        except ActionImpossible as exc:
            logger.info("Consultation du marché %s non close : %s", marche_id, exc)
        else:
            closes += 1
    return closes


def _refuser_si_non_pilote(marche: MarcheSubsequent, par: Utilisateur) -> None:
    if not par.has_perm(PILOTER_MARCHE, marche):
        raise PermissionDenied("Seul le service pilote enregistre les questions et leurs réponses.")


def _courriels_consultes(consultation: Consultation) -> list[str]:
    return courriels_membres(consultation.consultes.all())


def _publier_reponse(question: QuestionConsultation, consultation: Consultation) -> None:
    """Every consulted groupement is told, each by its own e-mail: no one reads who else is
    consulted, nor who asked."""
    marche = consultation.marche
    courriel_ecrire_depuis_gabarit(
        gabarit="consultation_reponse",
        contexte={
            "marche": marche,
            "consultation": consultation,
            "question": question,
            "lien": lien_vers("marches:consultation", consultation.pk),
        },
        destinataires=_courriels_consultes(consultation),
    )


@transaction.atomic
def question_enregistrer(
    *,
    consultation: Consultation,
    question: str,
    recue_le: datetime.datetime,
    reponse: str = "",
    par: Utilisateur,
) -> QuestionConsultation:
    """Record a question received on PLACE during the consultation, with its answer if it is
    ready (then published at once and e-mailed to every consulted groupement); the question
    never says who asked it."""
    _refuser_si_non_pilote(consultation.marche, par)
    marche = marche_verrouille(consultation.marche)
    consultation = _consultation_en_cours(marche)
    question, reponse = question.strip(), reponse.strip()
    if not question:
        raise ActionImpossible("Recopiez la question reçue sur PLACE.")
    if recue_le > timezone.now():
        raise ActionImpossible("La date de réception de la question est dans le futur.")
    numero = (consultation.questions.aggregate(n=Max("numero"))["n"] or 0) + 1
    objet = QuestionConsultation.objects.create(
        consultation=consultation,
        numero=numero,
        question=question,
        recue_le=recue_le,
        reponse=reponse,
        reponse_publiee_le=timezone.now() if reponse else None,
        cree_par=par,
    )
    journal_ecrire(
        code=CodeConsultation.QUESTION_ENREGISTREE,
        objet=objet,
        atelier=marche.atelier,
        par=par,
        libelle="Question enregistrée" + (" avec sa réponse, publiée" if reponse else ""),
        commentaire=f"Question n° {numero} de la consultation n° {consultation.numero}",
    )
    if reponse:
        _publier_reponse(objet, consultation)
    return objet


@transaction.atomic
def question_repondre(
    *, question: QuestionConsultation, reponse: str, par: Utilisateur
) -> QuestionConsultation:
    """Publish the answer to a recorded question while the consultation runs; every consulted
    groupement is e-mailed. An answer once published stays."""
    _refuser_si_non_pilote(question.consultation.marche, par)
    marche = marche_verrouille(question.consultation.marche)
    consultation = _consultation_en_cours(marche)
    question = QuestionConsultation.objects.select_for_update().get(pk=question.pk)
    if question.consultation_id != consultation.pk:
        raise ActionImpossible("Cette question appartient à une consultation close.")
    if question.reponse_publiee_le is not None:
        raise ActionImpossible(f"La réponse à la question n° {question.numero} est déjà publiée.")
    reponse = reponse.strip()
    if not reponse:
        raise ActionImpossible("Écrivez la réponse avant de la publier.")
    question.reponse = reponse
    question.reponse_publiee_le = timezone.now()
    question.save(update_fields=["reponse", "reponse_publiee_le"])
    journal_ecrire(
        code=CodeConsultation.REPONSE_PUBLIEE,
        objet=question,
        atelier=marche.atelier,
        par=par,
        libelle="Réponse publiée",
        commentaire=f"Question n° {question.numero} de la consultation n° {consultation.numero}",
    )
    _publier_reponse(question, consultation)
    return question


@transaction.atomic
def renoncement_enregistrer(
    *,
    consultation: Consultation,
    groupement: Organisation,
    motif: str,
    precision: str = "",
    par: Utilisateur,
) -> Renoncement:
    """A consulted groupement tells the pilot it will not answer this round, with its reason:
    once, before the deadline. The pilot is e-mailed; DGALN reads the reasons. The journal line
    is kept apart from the atelier's history (which the attributaire will read once notified):
    no other team learns who declined."""
    if groupement.pk not in profil(par).ids(Role.GROUPEMENT):
        raise PermissionDenied("Vous ne pouvez répondre que pour votre groupement.")
    marche = marche_verrouille(consultation.marche)
    actuelle = _consultation_en_cours(marche)
    if (
        actuelle.pk != consultation.pk
        or not consultation.consultes.filter(pk=groupement.pk).exists()
    ):
        raise PermissionDenied("Ce groupement n'est pas consulté sur ce marché.")
    if timezone.now() >= consultation.date_limite:
        raise ActionImpossible(
            "La date limite de remise des offres est passée : il n'y a plus rien à indiquer."
        )
    if Renoncement.objects.filter(consultation=consultation, groupement=groupement).exists():
        raise ActionImpossible("Votre groupement a déjà indiqué qu'il ne répondrait pas.")
    motif = MotifRenoncement(motif)
    precision = precision.strip()
    if motif == MotifRenoncement.AUTRE and not precision:
        raise ActionImpossible("Précisez la raison pour laquelle vous ne répondez pas.")
    renoncement = Renoncement.objects.create(
        consultation=consultation, groupement=groupement, motif=motif, precision=precision, par=par
    )
    journal_ecrire(
        code=CodeConsultation.RENONCEMENT,
        objet=renoncement,
        par=par,
        libelle="Un groupement consulté ne répondra pas",
        commentaire=f"{motif.label}" + (f" : {precision}" if precision else ""),
    )
    courriel_ecrire_depuis_gabarit(
        gabarit="consultation_renoncement",
        contexte={
            "marche": marche,
            "consultation": consultation,
            "renoncement": renoncement,
            "groupement": groupement,
            "lien": lien_marche(marche),
        },
        destinataires=_courriels_pilote(marche),
    )
    return renoncement
