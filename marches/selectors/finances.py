"""Reads of the money: one marché's situation at a glance, and DGALN's totals by year and
région in a few aggregate queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear

from ateliers.faits import DefinitionFait, Fait, q_fait
from ateliers.models import PILOTER
from ateliers.selectors import Attente, q_ateliers_avec, q_permission
from ateliers.selectors.annees import annees_de
from comptes.models import AnyUser
from marches.models import CreditAnnuel, Execution, MarcheSubsequent, Offre, Paiement, Tranche
from territoires.models import Region

ZERO = Decimal(0)


@dataclass
class SituationFinanciere:
    """What a marché's money stands at: notified, paid, what remains, and the detail."""

    execution: Execution
    tranches: list[Tranche]
    paiements: list[Paiement]
    credits: list[CreditAnnuel]
    paye: Decimal
    reste: Decimal
    pourcentage_paye: int

    @property
    def notifie(self) -> Decimal:
        return self.execution.montant_ttc

    @property
    def tranches_exigibles(self) -> list[Tranche]:
        return [t for t in self.tranches if t.statut == Tranche.Statut.EXIGIBLE]


def situation_financiere(marche: MarcheSubsequent) -> SituationFinanciere | None:
    """The execution of `marche` with its tranches, payments and credits, in four queries
    whatever their number; None before the execution is opened."""
    execution = (
        Execution.objects.filter(marche=marche)
        .prefetch_related(
            Prefetch(
                "tranches",
                queryset=Tranche.objects.order_by("ordre").prefetch_related(
                    Prefetch(
                        "paiements",
                        queryset=Paiement.objects.select_related("enregistre_par").order_by(
                            "date_mandatement", "pk"
                        ),
                    )
                ),
            )
        )
        .first()
    )
    if execution is None:
        return None
    execution.marche = marche
    tranches = list(execution.tranches.all())
    for tranche in tranches:
        tranche.execution = execution
    paiements = sorted(
        (p for t in tranches for p in t.paiements.all()),
        key=lambda p: (p.date_mandatement, p.pk),
    )
    paye = sum((p.montant for p in paiements), ZERO)
    notifie = execution.montant_ttc
    return SituationFinanciere(
        execution=execution,
        tranches=tranches,
        paiements=paiements,
        credits=list(CreditAnnuel.objects.filter(marche=marche).order_by("annee")),
        paye=paye,
        reste=notifie - paye,
        pourcentage_paye=int(paye * 100 / notifie) if notifie else 0,
    )


def montant_propose(marche: MarcheSubsequent) -> Offre | None:
    """The attributaire's offer in the marché's latest round: its amounts pre-fill the montant
    notifié."""
    if marche.attributaire_id is None:
        return None
    return (
        Offre.objects.filter(consultation__marche=marche, groupement_id=marche.attributaire_id)
        .order_by("-consultation__numero")
        .first()
    )


# The région of a marché for the national totals: its pilot's (a DREAL's région, a DDT(M)'s
# département's), single-valued where the atelier may straddle several départements.
def region_pilote(vers_le_marche: str = "marche__") -> Coalesce:
    """The pilot's région, through the path `vers_le_marche` from the model read."""
    return Coalesce(
        F(f"{vers_le_marche}atelier__service_pilote__region"),
        F(f"{vers_le_marche}atelier__service_pilote__departement__region"),
    )


@dataclass
class LigneTotaux:
    annee: int | None
    region: Region | None
    nombre: int = 0
    notifie: Decimal = ZERO
    paye: Decimal = ZERO

    @property
    def reste(self) -> Decimal:
        return self.notifie - self.paye


@dataclass
class LigneCredits:
    annee: int
    ae: Decimal = ZERO
    cp: Decimal = ZERO
    mandate: Decimal = ZERO


@dataclass
class TotauxNationaux:
    lignes: list[LigneTotaux]
    credits: list[LigneCredits]
    total: LigneTotaux = field(default_factory=lambda: LigneTotaux(annee=None, region=None))


def annees_de_notification(executions: QuerySet[Execution]) -> list[int]:
    """The years from the first notification of these marchés to the last, latest first (the
    filter's choices)."""
    return annees_de(executions, "marche__notifie_le")


def totaux_nationaux(
    executions: QuerySet[Execution], *, annee: int | None = None, region: str | None = None
) -> TotauxNationaux:
    """Notified, paid and remaining TTC by year of notification and région of the pilot, and
    AE, CP and mandated by budget year: four queries, whatever the number of marchés.
    `annee` filters on the year of notification, `region` on the pilot's région.

    The paid amount is each execution's own (`montant_paye`, kept by the payment service):
    summing the 20 000 payments joined to their marché, atelier and région took 60 to 130 ms.
    The credits and the mandated amounts are read without the marchés when nothing narrows
    the executions (DGALN's whole programme)."""
    tout = not executions.query.where and not annee and not region
    annotees = executions.annotate(
        annee=ExtractYear("marche__notifie_le"), region_code=region_pilote()
    )
    if annee:
        annotees = annotees.filter(annee=annee)
    if region:
        annotees = annotees.filter(region_code=region)
    groupes = list(
        annotees.order_by()
        .values("annee", "region_code")
        .annotate(nombre=Count("pk"), notifie=Sum("montant_ttc"), paye=Sum("montant_paye"))
        .order_by("-annee", "region_code")
    )
    regions = Region.objects.in_bulk({g["region_code"] for g in groupes if g["region_code"]})
    lignes = [
        LigneTotaux(
            annee=g["annee"],
            region=regions.get(g["region_code"]),
            nombre=g["nombre"],
            notifie=g["notifie"] or ZERO,
            paye=g["paye"] or ZERO,
        )
        for g in groupes
    ]
    total = LigneTotaux(
        annee=None,
        region=None,
        nombre=sum(ligne.nombre for ligne in lignes),
        notifie=sum((ligne.notifie for ligne in lignes), ZERO),
        paye=sum((ligne.paye for ligne in lignes), ZERO),
    )
    # The pks only, without the annotations' joins, when a filter narrows the executions.
    retenues = Execution.objects.filter(pk__in=annotees.values("pk"))
    credits_lus = CreditAnnuel.objects.all()
    paiements = Paiement.objects.all()
    if not tout:
        credits_lus = credits_lus.filter(marche__execution__in=retenues)
        paiements = paiements.filter(tranche__execution__in=retenues)
    credits: dict[int, LigneCredits] = {}
    for c in credits_lus.order_by().values("annee").annotate(ae=Sum("ae"), cp=Sum("cp")):
        credits[c["annee"]] = LigneCredits(annee=c["annee"], ae=c["ae"], cp=c["cp"])
    for p in (
        paiements.annotate(annee_mandat=ExtractYear("date_mandatement"))
        .order_by()
        .values("annee_mandat")
        .annotate(s=Sum("montant"))
    ):
        credits.setdefault(p["annee_mandat"], LigneCredits(annee=p["annee_mandat"])).mandate = p[
            "s"
        ]
    return TotauxNationaux(
        lignes=lignes,
        credits=sorted(credits.values(), key=lambda c: c.annee, reverse=True),
        total=total,
    )


def attentes_finances(user: AnyUser) -> list[Attente]:
    """What the money of the notified marchés expects of their pilot (« à traiter »): opening
    the execution, then paying each tranche whose milestone is reached."""
    q_piloter = q_permission(user, PILOTER)
    if q_piloter is None:
        return []
    return [
        Attente(
            libelle="Ouvrir l'exécution financière du marché notifié",
            q=q_fait(Fait.MARCHE_NOTIFIE_SANS_EXECUTION) & q_piloter,
            ancre="marche",
        ),
        Attente(
            libelle="Enregistrer le paiement des tranches exigibles",
            q=q_fait(Fait.TRANCHE_EXIGIBLE) & q_piloter,
            ancre="marche",
        ),
    ]


def faits_finances() -> list[DefinitionFait]:
    """The money's facts: a notified marché whose execution is not open yet, a tranche due."""
    return [
        DefinitionFait(
            Fait.MARCHE_NOTIFIE_SANS_EXECUTION,
            lambda: q_ateliers_avec(
                MarcheSubsequent.objects.filter(
                    statut=MarcheSubsequent.Statut.NOTIFIE, execution__isnull=True
                )
            ),
            {MarcheSubsequent: "atelier_id", Execution: "marche.atelier_id"},
        ),
        DefinitionFait(
            Fait.TRANCHE_EXIGIBLE,
            lambda: q_ateliers_avec(
                Tranche.objects.filter(statut=Tranche.Statut.EXIGIBLE),
                "execution__marche__atelier_id",
            ),
            {Tranche: "execution.marche.atelier_id"},
        ),
    ]


def _prevues_des_jalons(atelier_id: int, jalons: list[str]) -> QuerySet[Tranche]:
    return Tranche.objects.filter(
        execution__marche__atelier_id=atelier_id,
        execution__marche__statut=MarcheSubsequent.Statut.NOTIFIE,
        jalon__in=jalons,
        statut=Tranche.Statut.PREVUE,
    ).order_by("ordre")


def tranches_du_jalon(atelier_id: int, jalons: list[str]) -> list[Tranche]:
    """The tranches still « prévues » of the atelier's notified marché whose milestone is one
    of `jalons`, locked: a validated livrable releases them (livrables), once."""
    return list(_prevues_des_jalons(atelier_id, jalons).select_for_update())


def tranches_liberables(atelier_id: int, jalons: list[str]) -> list[Tranche]:
    """The same tranches read without a lock: what a validation would make payable, as its
    confirmation says it."""
    return list(_prevues_des_jalons(atelier_id, jalons))
