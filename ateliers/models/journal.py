"""The journal: one line per user action, append-only."""

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ateliers.models.atelier import Atelier
from ateliers.models.phases import Phase
from comptes.models import Organisation


class Evenement(models.Model):
    """One line of the journal: who did what to which object, and when.

    Every transition of every state machine in the portal writes one, in the transaction that
    saves the transition, so the journal never tells of a change that did not happen.
    """

    date = models.DateTimeField("date", default=timezone.now, db_index=True)
    atelier = models.ForeignKey(
        Atelier,
        verbose_name="atelier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal",
    )
    # Accounts are deactivated, never deleted: the journal always says who acted, and for whom.
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="au titre de",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objet_type = models.ForeignKey(
        ContentType, verbose_name="type d'objet", on_delete=models.PROTECT, related_name="+"
    )
    objet_id = models.CharField("identifiant de l'objet", max_length=64)
    objet = GenericForeignKey("objet_type", "objet_id")
    objet_libelle = models.CharField("objet", max_length=255)
    libelle = models.CharField("événement", max_length=255)
    # What kind of event, as each stage lists them (CodeAtelier…): a dashboard counts by it.
    code = models.CharField("code", max_length=64, db_index=True)
    transition = models.CharField("action", max_length=64, blank=True)
    etat_avant = models.CharField("état avant", max_length=64, blank=True)
    etat_apres = models.CharField("état après", max_length=64, blank=True)
    etat_avant_libelle = models.CharField("état avant (libellé)", max_length=100, blank=True)
    etat_apres_libelle = models.CharField("état après (libellé)", max_length=100, blank=True)
    # The atelier's phase before and after, when the action moved it too (one line names both).
    phase_avant = models.CharField("phase avant", max_length=32, blank=True)
    phase_apres = models.CharField("phase après", max_length=32, blank=True)
    commentaire = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["objet_type", "objet_id"], name="evenement_objet"),
            # The latest line of one atelier (the fiche's version): without it PostgreSQL walks
            # the whole journal backwards by id until it meets that atelier.
            models.Index(fields=["atelier", "-id"], name="evenement_atelier_dernier"),
            # One atelier's journal in its order (the atelier page's journal, 30 lines a page):
            # without it PostgreSQL walks the index on the date backwards until it has met 30
            # lines of that atelier, the whole journal for a young atelier.
            models.Index(fields=["atelier", "-date", "-id"], name="evenement_atelier_ordre"),
            # The eligibility decisions of one atelier (the cohort's ateliers entered past their
            # dépôt): a few lines among the whole journal, looked up for every candidature
            # without a version.
            models.Index(
                fields=["atelier", "date"],
                condition=Q(transition__in=["declarer_eligible", "declarer_non_eligible"]),
                name="evenement_eligibilite",
            ),
        ]
        # Append-only in the database itself (PostgreSQL), whatever the code or the admin does.
        triggers = [
            pgtrigger.Protect(
                name="journal_ajout_seul", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y %H:%M} — {self.libelle}"

    def get_phase_avant_display(self):
        return Phase(self.phase_avant).label if self.phase_avant else ""

    def get_phase_apres_display(self):
        return Phase(self.phase_apres).label if self.phase_apres else ""
