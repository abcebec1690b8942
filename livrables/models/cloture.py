"""The clôture of an atelier, which the livrables stage owns: once the five livrables are
validated and the restitution held, the pilot closes it (ADR 0019)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models import Atelier

CLOTURER = "livrables.cloturer_atelier"


class CodeCloture(models.TextChoices):
    PRONONCEE = "cloture.prononcee", "Atelier clôturé"


def _sur_la_cloture(cloture, user):
    return user.has_perm(CLOTURER, cloture)


class Cloture(ConcurrentTransitionMixin, models.Model):
    """The end of an atelier's accompagnement: pronounced once, after which the atelier is
    read-only and its validated livret and feuille de route are publishable."""

    class Statut(models.TextChoices):
        A_PRONONCER = "a_prononcer", "À prononcer"
        PRONONCEE = "prononcee", "Prononcée"

    atelier = models.OneToOneField(Atelier, on_delete=models.PROTECT, related_name="cloture")
    statut = FSMField(
        "état", max_length=16, choices=Statut.choices, default=Statut.A_PRONONCER, protected=True
    )
    prononcee_le = models.DateTimeField("prononcée le", null=True, blank=True)
    prononcee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="prononcée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "clôture d'un atelier"
        verbose_name_plural = "clôtures des ateliers"
        permissions = [("cloturer_atelier", "Clôturer l'atelier (service pilote)")]

    def __str__(self):
        return f"Clôture de {self.atelier.reference}"

    @transition(
        field=statut,
        source=Statut.A_PRONONCER,
        target=Statut.PRONONCEE,
        permission=_sur_la_cloture,
        custom={
            "code": CodeCloture.PRONONCEE,
            "journal": "Atelier clôturé",
            "libelle": "Clôturer l'atelier",
            "consequence": (
                "L'atelier sera clôturé : il ne se modifiera plus ; le livret de "
                "capitalisation et la feuille de route validés deviendront publiables. Les "
                "collectivités porteuses et la DGALN seront prévenues."
            ),
        },
    )
    def prononcer(self, *, auteur):
        """The five livrables are validated and the restitution is held."""
        self.prononcee_le, self.prononcee_par = timezone.now(), auteur
