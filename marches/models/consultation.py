"""What a consultation round gathers besides its offers: the questions received on PLACE and
their answers, the groupements that tell the pilot they will not answer, the auditions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from comptes.models import Organisation
from marches.models.marche import Consultation
from marches.models.offre import Offre


class CodeConsultation(models.TextChoices):
    """The journal's codes for the life of a consultation round (its close is the marché's)."""

    QUESTION_ENREGISTREE = "consultation.question_enregistree", "Question enregistrée"
    REPONSE_PUBLIEE = "consultation.reponse_publiee", "Réponse publiée"
    RENONCEMENT = "consultation.renoncement", "Renoncement d'un groupement"
    AUDITION = "consultation.audition", "Audition enregistrée"


class QuestionConsultation(models.Model):
    """A question a groupement asked on PLACE, recorded by the pilot with its answer: every
    consulted groupement reads both, and nobody reads who asked."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    numero = models.PositiveSmallIntegerField("question n°")
    question = models.TextField("question")
    recue_le = models.DateTimeField("reçue sur PLACE le")
    reponse = models.TextField("réponse", blank=True)
    reponse_publiee_le = models.DateTimeField("réponse publiée le", null=True, blank=True)
    cree_le = models.DateTimeField("enregistrée le", default=timezone.now)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "question sur la consultation"
        verbose_name_plural = "questions sur la consultation"
        ordering = ["consultation", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "numero"], name="question_consultation_numero_unique"
            ),
            models.CheckConstraint(
                condition=Q(reponse_publiee_le__isnull=True) | ~Q(reponse=""),
                name="question_reponse_publiee_non_vide",
                violation_error_message="Une réponse publiée n'est pas vide.",
            ),
        ]

    def __str__(self):
        return f"Question n° {self.numero}"

    @property
    def marche(self):
        return self.consultation.marche

    @property
    def atelier(self):
        return self.consultation.marche.atelier


class MotifRenoncement(models.TextChoices):
    """Why a team declines: DGALN reads them across marchés to adjust the accord-cadre."""

    PLAN_DE_CHARGE = "plan_de_charge", "Plan de charge de l'équipe trop chargé"
    DELAI = "delai", "Délai de remise des offres trop court"
    MONTANT = "montant", "Montant inadapté au travail attendu"
    COMPETENCES = "competences", "Compétences attendues hors du champ de l'équipe"
    ELOIGNEMENT = "eloignement", "Éloignement du territoire"
    AUTRE = "autre", "Autre raison"


class Renoncement(models.Model):
    """A consulted groupement tells the pilot, before the deadline, that it will not answer
    this round, and why; once per round."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="renoncements"
    )
    groupement = models.ForeignKey(
        Organisation,
        verbose_name="groupement",
        on_delete=models.PROTECT,
        related_name="renoncements",
        limit_choices_to={"type": Organisation.Type.GROUPEMENT},
    )
    motif = models.CharField("motif", max_length=20, choices=MotifRenoncement.choices)
    precision = models.TextField("précisions", blank=True)
    le = models.DateTimeField("indiqué le", default=timezone.now)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="indiqué par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "renoncement à répondre"
        verbose_name_plural = "renoncements à répondre"
        ordering = ["-le"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "groupement"], name="un_renoncement_par_groupement"
            )
        ]

    def __str__(self):
        return f"Renoncement à la consultation n° {self.consultation.numero}"

    @property
    def marche(self):
        return self.consultation.marche

    @property
    def atelier(self):
        return self.consultation.marche.atelier


class Audition(models.Model):
    """The hearing of a groupement about its offer during the analysis: the rapport d'analyse
    prints its minutes."""

    offre = models.OneToOneField(Offre, on_delete=models.PROTECT, related_name="audition")
    date = models.DateTimeField("date de l'audition")
    participants = models.TextField(
        "participants", help_text="Une personne par ligne, avec son organisation."
    )
    compte_rendu = models.TextField("compte-rendu")
    modifiee_le = models.DateTimeField("enregistrée le", default=timezone.now)
    modifiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "audition"
        verbose_name_plural = "auditions"
        ordering = ["date"]

    def __str__(self):
        return f"Audition du {timezone.localtime(self.date):%d/%m/%Y}"

    @property
    def marche(self):
        return self.offre.consultation.marche

    @property
    def atelier(self):
        return self.offre.consultation.marche.atelier
