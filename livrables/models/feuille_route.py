"""The feuille de route as data: the draft the groupement keeps between versions (objectifs,
axes, actions and their financing); a dépôt freezes it into the version's `contenu`."""

from django.db import models
from django.db.models import F, Q

from candidatures.models import Thematique
from comptes.models import Organisation
from comptes.validators import valider_une_seule_ligne
from livrables.models.livrable import Livrable


class Priorite(models.IntegerChoices):
    """An integer, so that ordering by priority needs no expression."""

    ELEVEE = 1, "Élevée"
    MOYENNE = 2, "Moyenne"
    BASSE = 3, "Basse"


class Horizon(models.TextChoices):
    COURT = "court", "Court terme"
    MOYEN = "moyen", "Moyen terme"
    LONG = "long", "Long terme"


class StatutAction(models.TextChoices):
    A_ENGAGER = "a_engager", "À engager"
    ENGAGEE = "engagee", "Engagée"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"


class SourceFinancement(models.TextChoices):
    """Who may pay for an action, as the programme's feuilles de route name them."""

    DETR = "etat_detr", "État — DETR"
    DSIL = "etat_dsil", "État — DSIL"
    FONDS_VERT = "etat_fonds_vert", "État — Fonds vert"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "EPCI"
    EUROPE = "europe", "Europe"
    AUTRE = "autre", "Autres"


class Objectif(models.Model):
    """One objective the feuille de route pursues."""

    livrable = models.ForeignKey(
        Livrable, on_delete=models.CASCADE, related_name="objectifs_feuille"
    )
    intitule = models.CharField("intitulé", max_length=300, validators=[valider_une_seule_ligne])
    description = models.TextField("description", blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "objectif de la feuille de route"
        verbose_name_plural = "objectifs de la feuille de route"
        ordering = ["livrable", "ordre", "pk"]

    def __str__(self):
        return self.intitule


class Axe(models.Model):
    """A strategic axis that groups actions."""

    livrable = models.ForeignKey(Livrable, on_delete=models.CASCADE, related_name="axes_feuille")
    intitule = models.CharField("intitulé", max_length=300, validators=[valider_une_seule_ligne])
    description = models.TextField("description", blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "axe de la feuille de route"
        verbose_name_plural = "axes de la feuille de route"
        ordering = ["livrable", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["livrable", "intitule"],
                name="axe_intitule_unique",
                violation_error_message=(
                    "Un autre axe de cette feuille de route porte déjà cet intitulé."
                ),
            )
        ]

    def __str__(self):
        return self.intitule


class Action(models.Model):
    """One action of the plan. Its `numero` stays the same across versions and workbooks: the
    diff between two versions and the XLSX import match actions on it. Its porteur is an
    organisation of the portal when there is one, or a name: most porteurs of actions (a
    syndicate, an association, a company) never have an account here."""

    livrable = models.ForeignKey(Livrable, on_delete=models.CASCADE, related_name="actions_feuille")
    numero = models.PositiveSmallIntegerField("numéro")
    axe = models.ForeignKey(
        Axe, verbose_name="axe", on_delete=models.PROTECT, related_name="actions"
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    titre = models.CharField("titre", max_length=300, validators=[valider_une_seule_ligne])
    description = models.TextField("description", blank=True)
    thematique = models.ForeignKey(
        Thematique,
        verbose_name="thème",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priorite = models.PositiveSmallIntegerField(
        "priorité", choices=Priorite.choices, default=Priorite.MOYENNE
    )
    porteur = models.ForeignKey(
        Organisation,
        verbose_name="porteur (organisation du portail)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    porteur_nom = models.CharField(
        "porteur (nom)", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    partenaires = models.TextField("partenaires", blank=True, help_text="Un par ligne.")
    cout_estime = models.DecimalField(
        "coût estimé (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    debut = models.DateField("début", null=True, blank=True)
    fin = models.DateField("fin", null=True, blank=True)
    horizon = models.CharField("horizon", max_length=8, choices=Horizon.choices, blank=True)
    indicateurs = models.TextField("indicateurs de suivi", blank=True, help_text="Un par ligne.")
    statut = models.CharField(
        "statut", max_length=12, choices=StatutAction.choices, default=StatutAction.A_ENGAGER
    )

    class Meta:
        verbose_name = "action de la feuille de route"
        verbose_name_plural = "actions de la feuille de route"
        ordering = ["livrable", "axe__ordre", "ordre", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["livrable", "numero"],
                name="action_numero_unique",
                violation_error_message="Une autre action porte déjà ce numéro.",
            ),
            models.CheckConstraint(
                condition=Q(cout_estime__isnull=True) | Q(cout_estime__gte=0),
                name="action_cout_positif",
                violation_error_message="Le coût estimé ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(debut__isnull=True) | Q(fin__isnull=True) | Q(fin__gte=F("debut")),
                name="action_fin_apres_debut",
                violation_error_message="La fin de l'action ne peut pas précéder son début.",
            ),
            models.CheckConstraint(
                condition=Q(porteur__isnull=True) | Q(porteur_nom=""),
                name="action_un_seul_porteur",
                violation_error_message=(
                    "Choisissez une organisation du portail ou écrivez le nom du porteur, "
                    "pas les deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(priorite__in=Priorite.values),
                name="action_priorite_connue",
                violation_error_message="Cette priorité n'existe pas.",
            ),
        ]

    def __str__(self):
        return f"A{self.numero} — {self.titre}"

    @property
    def reference(self) -> str:
        return f"A{self.numero}"

    @property
    def porteur_libelle(self) -> str:
        return str(self.porteur) if self.porteur_id else self.porteur_nom


class Financement(models.Model):
    """One line of an action's financing plan: a source and its amount."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="financements")
    source = models.CharField("source", max_length=16, choices=SourceFinancement.choices)
    precision = models.CharField(
        "précision", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    montant = models.DecimalField("montant (€)", max_digits=14, decimal_places=2)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "financement d'une action"
        verbose_name_plural = "financements des actions"
        ordering = ["action", "ordre", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant__gte=0),
                name="financement_montant_positif",
                violation_error_message="Le montant ne peut pas être négatif.",
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()} : {self.montant} €"
