"""The five livrables of an atelier, their versions, the reviewers' comments and the
collectivités' avis (ADR 0019)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ateliers.models import Atelier, EtapePrevue
from comptes.models import Organisation
from marches.models import Jalon

DEPOSER = "livrables.deposer_livrable"
REVOIR = "livrables.revoir_livrable"
ACCORDER = "livrables.accorder_livrable"


class TypeLivrable(models.TextChoices):
    """What the DGALN pays for, in the order the programme produces them."""

    NOTE_CADRAGE = "note_cadrage", "Note de cadrage"
    CARNET_SUIVI = "carnet_suivi", "Carnet de suivi"
    RAPPORT_FINAL = "rapport_final", "Rapport final"
    FEUILLE_ROUTE = "feuille_route", "Feuille de route"
    LIVRET = "livret", "Livret de capitalisation"


# Each type's planned date in the atelier's calendar (ateliers.EtapePrevue).
ETAPE_DU_TYPE: dict[str, str] = {
    TypeLivrable.NOTE_CADRAGE: EtapePrevue.Nature.NOTE_CADRAGE,
    TypeLivrable.CARNET_SUIVI: EtapePrevue.Nature.CARNET_SUIVI,
    TypeLivrable.RAPPORT_FINAL: EtapePrevue.Nature.RAPPORT_FINAL,
    TypeLivrable.FEUILLE_ROUTE: EtapePrevue.Nature.FEUILLE_ROUTE,
    TypeLivrable.LIVRET: EtapePrevue.Nature.LIVRET,
}
# The milestone of the échéancier its validation reaches (marches.Jalon); the four final ones
# reach « livrables finaux » together, when the last of them is validated.
JALON_DU_TYPE: dict[str, str] = {
    TypeLivrable.NOTE_CADRAGE: Jalon.NOTE_CADRAGE,
    TypeLivrable.CARNET_SUIVI: Jalon.CARNET_SUIVI,
    TypeLivrable.RAPPORT_FINAL: Jalon.RAPPORT_FINAL,
    TypeLivrable.FEUILLE_ROUTE: Jalon.FEUILLE_ROUTE,
    TypeLivrable.LIVRET: Jalon.LIVRET,
}
FINAUX = (
    TypeLivrable.CARNET_SUIVI,
    TypeLivrable.RAPPORT_FINAL,
    TypeLivrable.FEUILLE_ROUTE,
    TypeLivrable.LIVRET,
)


class CodeLivrable(models.TextChoices):
    """The journal's codes for the livrables."""

    DEPOSE = "livrable.depose", "Livrable déposé"
    CORRECTIONS_DEMANDEES = "livrable.corrections_demandees", "Corrections demandées"
    VALIDE = "livrable.valide", "Livrable validé"
    AVIS_DONNE = "livrable.avis_donne", "Avis de la collectivité"
    ACCORD_DGALN = "livrable.accord_dgaln", "Accord de la DGALN"
    REDACTION_MODIFIEE = "livrable.redaction_modifiee", "Rédaction modifiée"


def _sur_le_livrable(permission):
    def verifier(livrable, user):
        return user.has_perm(permission, livrable)

    return verifier


class LivrableQuerySet(models.QuerySet):
    def valides(self):
        return self.filter(statut=Livrable.Statut.VALIDE)


class Livrable(ConcurrentTransitionMixin, models.Model):
    """One deliverable of one atelier: deposited in versions by the groupement titulaire,
    reviewed by the pilot, validated once; its validation releases its tranche."""

    class Statut(models.TextChoices):
        ATTENDU = "attendu", "Attendu"
        DEPOSE = "depose", "Déposé"
        CORRECTIONS_DEMANDEES = "corrections_demandees", "Corrections demandées"
        VALIDE = "valide", "Validé"

    atelier = models.ForeignKey(Atelier, on_delete=models.PROTECT, related_name="livrables")
    type = models.CharField("livrable", max_length=20, choices=TypeLivrable.choices)
    statut = FSMField(
        "état", max_length=24, choices=Statut.choices, default=Statut.ATTENDU, protected=True
    )
    statut_depuis = models.DateTimeField("dans cet état depuis le", default=timezone.now)
    valide_le = models.DateTimeField("validé le", null=True, blank=True)
    valide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The livret is published only with DGALN's agreement (the public catalogue reads it).
    accord_dgaln_le = models.DateTimeField("accord de la DGALN le", null=True, blank=True)
    accord_dgaln_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accord de la DGALN par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set at the atelier's clôture for the validated livret and feuille de route: what the
    # public catalogue (a later issue) will show.
    publiable = models.BooleanField("publiable", default=False)

    objects = LivrableQuerySet.as_manager()

    class Meta:
        verbose_name = "livrable"
        verbose_name_plural = "livrables"
        ordering = ["atelier", "type"]
        # « À traiter » asks for the ateliers with a livrable to review (the pilot) or a livret
        # waiting for DGALN's accord on every home page: 1 400 of 11 700 livrables at 10 000
        # ateliers, read without the rest (a sequential scan of 0.7 ms before).
        indexes = [
            models.Index(
                fields=["atelier"], condition=Q(statut="depose"), name="livrable_depose_idx"
            )
        ]
        permissions = [
            ("deposer_livrable", "Déposer une version (groupement titulaire)"),
            ("revoir_livrable", "Revoir et valider (service pilote)"),
            ("donner_avis_livrable", "Donner l'avis de la collectivité porteuse"),
            ("accorder_livrable", "Donner l'accord de la DGALN"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["atelier", "type"], name="livrable_unique_par_type"),
            models.CheckConstraint(
                condition=~Q(statut="valide") | Q(valide_le__isnull=False),
                name="livrable_valide_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.atelier.reference}"

    @property
    def attend_accord_dgaln(self):
        """The livret needs DGALN's agreement before its validation."""
        return self.type == TypeLivrable.LIVRET and self.accord_dgaln_le is None

    def _entrer(self):
        self.statut_depuis = timezone.now()

    @transition(
        field=statut,
        source=[Statut.ATTENDU, Statut.CORRECTIONS_DEMANDEES],
        target=Statut.DEPOSE,
        permission=_sur_le_livrable(DEPOSER),
        custom={
            "code": CodeLivrable.DEPOSE,
            "journal": "Livrable déposé",
            "libelle": "Déposer cette version",
            "consequence": (
                "La version sera figée et transmise au service pilote pour relecture ; elle "
                "ne se modifie plus."
            ),
        },
    )
    def deposer(self):
        """A new version is in: the pilot reviews it."""
        self._entrer()

    @transition(
        field=statut,
        source=Statut.DEPOSE,
        target=Statut.CORRECTIONS_DEMANDEES,
        permission=_sur_le_livrable(REVOIR),
        custom={
            "code": CodeLivrable.CORRECTIONS_DEMANDEES,
            "journal": "Corrections demandées",
            "libelle": "Demander des corrections",
            "consequence": (
                "Le groupement sera prévenu de vos commentaires et déposera une nouvelle version."
            ),
        },
    )
    def demander_corrections(self):
        """The pilot's comments go back to the groupement, which deposits again."""
        self._entrer()

    @transition(
        field=statut,
        source=Statut.DEPOSE,
        target=Statut.VALIDE,
        permission=_sur_le_livrable(REVOIR),
        conditions=[lambda livrable: not livrable.attend_accord_dgaln],  # type: ignore[attr-defined]
        custom={
            "code": CodeLivrable.VALIDE,
            "journal": "Livrable validé",
            "libelle": "Valider le livrable",
            "consequence": (
                "La version déposée devient le livrable validé ; la tranche de paiement liée à "
                "ce livrable deviendra exigible."
            ),
        },
    )
    def valider(self, *, valideur):
        """The last version deposited is the livrable; it never changes again."""
        self._entrer()
        self.valide_le, self.valide_par = timezone.now(), valideur


class VersionLivrable(models.Model):
    """One deposited version, frozen: an uploaded PDF, or the content written in the portal as
    it stood (`contenu`), and always a PDF (the upload itself, or the render of `contenu`)."""

    class Mode(models.TextChoices):
        FICHIER = "fichier", "PDF déposé"
        REDIGE = "redige", "Rédigé dans le portail"

    livrable = models.ForeignKey(Livrable, on_delete=models.PROTECT, related_name="versions")
    numero = models.PositiveSmallIntegerField("version")
    mode = models.CharField("forme", max_length=10, choices=Mode.choices)
    fichier = models.ForeignKey(
        "documents.FichierDepose",
        verbose_name="PDF déposé",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What was written, frozen at the dépôt: {"parties": [{"cle", "titre", "texte"}], …} (the
    # feuille de route adds its rows); the diff and the render read only this.
    contenu = models.JSONField("contenu rédigé", default=dict, blank=True)
    message = models.TextField("message du groupement", blank=True)
    deposee_le = models.DateTimeField("déposée le", default=timezone.now)
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "version d'un livrable"
        verbose_name_plural = "versions des livrables"
        ordering = ["livrable", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["livrable", "numero"], name="version_livrable_numero_unique"
            ),
            models.CheckConstraint(
                condition=~Q(mode="fichier") | Q(fichier__isnull=False),
                name="version_livrable_fichier_si_depose",
            ),
        ]

    def __str__(self):
        return f"{self.livrable} — version {self.numero}"


class Commentaire(models.Model):
    """A correction asked on one version, anchored to one of its parts or to a page of its
    PDF; the groupement answers it with its next version; it stays in the history."""

    version = models.ForeignKey(
        VersionLivrable, on_delete=models.PROTECT, related_name="commentaires"
    )
    # The part's key (contenu's « cle ») or "" for the whole version; `page` for an upload.
    partie = models.CharField("partie", max_length=64, blank=True)
    page = models.PositiveIntegerField("page", null=True, blank=True)
    texte = models.TextField("demande")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    cree_le = models.DateTimeField("écrit le", default=timezone.now)
    # Open comments belong to the version under review; the request of corrections sends them.
    envoye = models.BooleanField("envoyé au groupement", default=False)
    reponse = models.TextField("réponse du groupement", blank=True)
    repondu_le = models.DateTimeField("répondu le", null=True, blank=True)
    repondu_dans = models.ForeignKey(
        VersionLivrable,
        verbose_name="répondu dans la version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reponses",
    )

    class Meta:
        verbose_name = "commentaire de relecture"
        verbose_name_plural = "commentaires de relecture"
        ordering = ["version", "cree_le", "pk"]

    def __str__(self):
        return f"Commentaire sur {self.version}"


class Avis(models.Model):
    """A collectivité porteuse's avis on one version, recorded before the validation; it does
    not block it, unless the pilot chooses to wait for it."""

    class Sens(models.TextChoices):
        FAVORABLE = "favorable", "Favorable"
        RESERVES = "reserves", "Favorable avec réserves"
        DEFAVORABLE = "defavorable", "Défavorable"

    version = models.ForeignKey(VersionLivrable, on_delete=models.PROTECT, related_name="avis")
    collectivite = models.ForeignKey(
        Organisation, verbose_name="collectivité", on_delete=models.PROTECT, related_name="+"
    )
    sens = models.CharField("avis", max_length=12, choices=Sens.choices)
    texte = models.TextField("motivation", blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    donne_le = models.DateTimeField("donné le", default=timezone.now)

    class Meta:
        verbose_name = "avis sur un livrable"
        verbose_name_plural = "avis sur les livrables"
        ordering = ["version", "donne_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "collectivite"], name="avis_un_par_collectivite_et_version"
            )
        ]

    def __str__(self):
        return f"Avis {self.get_sens_display().lower()} sur {self.version}"
