"""The money of a notified marché (BOP 135): opening its execution with the échéancier,
changing it, the credits of each year, a tranche released by its milestone, a payment.

Every write locks the marché's execution first, so that two payments or a payment and a change
of the échéancier never cross; every amount is TTC (what Chorus engages and pays)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Sum
from django.utils import timezone

from ateliers.services import ActionImpossible, journal_ecrire, transition_appliquer
from comptes.dates import date_longue
from comptes.models import Utilisateur
from comptes.selectors import courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from marches.models import (
    CodeFinances,
    CreditAnnuel,
    Execution,
    Jalon,
    MarcheSubsequent,
    Paiement,
    Tranche,
)
from marches.models.finances import CENT, euros, pourcent, repartir
from marches.services._commun import lien_marche, marche_verrouille

GERER_FINANCES = "marches.gerer_finances"


@dataclass(frozen=True)
class TrancheSaisie:
    """One line of the échéancier as the pilot typed it; `id` for a tranche already saved."""

    libelle: str
    jalon: str
    pourcentage: Decimal
    id: int | None = None


def _valider(objet: Model, exclude: Sequence[str] = ()) -> None:
    """The model's own checks (ranges, formats) as one French message."""
    try:
        objet.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as exc:
        raise ActionImpossible(" ".join(exc.messages)) from exc


def _verifier_montants(montant_ht: Decimal, montant_tva: Decimal, montant_ttc: Decimal) -> None:
    if montant_ht <= 0 or montant_tva < 0:
        raise ActionImpossible("Le montant notifié HT est positif et la TVA n'est pas négative.")
    if montant_ttc != montant_ht + montant_tva:
        raise ActionImpossible(
            f"Le montant TTC ({euros(montant_ttc, centimes=True)}) n'est pas la somme du montant "
            f"HT et de la TVA ({euros(montant_ht + montant_tva, centimes=True)})."
        )


def verifier_echeancier(tranches: Sequence[TrancheSaisie]) -> None:
    """An échéancier has at least one tranche, each a share above 0 and at most 100 %, and
    they sum to exactly 100 %: the whole montant notifié, nothing more."""
    if not tranches:
        raise ActionImpossible("L'échéancier compte au moins une tranche.")
    for tranche in tranches:
        if not 0 < tranche.pourcentage <= CENT:
            raise ActionImpossible(
                f"La tranche « {tranche.libelle} » a un pourcentage de "
                f"{pourcent(tranche.pourcentage)} : il est compris entre 0 et 100 %."
            )
        if tranche.jalon not in Jalon.values:
            raise ActionImpossible(f"La tranche « {tranche.libelle} » n'a pas de jalon connu.")
    total = sum((t.pourcentage for t in tranches), Decimal(0))
    if total != CENT:
        raise ActionImpossible(
            f"Les pourcentages de l'échéancier totalisent {pourcent(total)} : ils doivent faire "
            "exactement 100 %."
        )


def _courriel_tranche_exigible(tranche: Tranche) -> None:
    marche = tranche.execution.marche
    courriel_ecrire_depuis_gabarit(
        gabarit="tranche_exigible",
        contexte={
            "tranche": tranche,
            "marche": marche,
            "atelier": marche.atelier,
            "montant": euros(tranche.montant, centimes=True),
            "pourcentage": pourcent(tranche.pourcentage),
            "lien": lien_marche(marche),
        },
        destinataires=(
            courriels_membres([marche.atelier.service_pilote])
            if marche.atelier.service_pilote
            else []
        ),
    )


def _execution_verrouillee(execution_id: int) -> Execution:
    return (
        Execution.objects.select_related("marche__atelier")
        .select_for_update(of=("self",))
        .get(pk=execution_id)
    )


@transaction.atomic
def execution_ouvrir(
    *,
    marche: MarcheSubsequent,
    par: Utilisateur,
    montant_ht: Decimal,
    montant_tva: Decimal,
    montant_ttc: Decimal,
    numero_ej: str,
    duree_mois: int,
    tranches: Sequence[TrancheSaisie],
) -> Execution:
    """Open the execution of a notified marché: the montant notifié, its engagement juridique,
    its duration and its échéancier; a tranche « avance à la notification » is payable at once
    and the pilot service is e-mailed about it."""
    if not par.has_perm(GERER_FINANCES, marche):
        raise PermissionDenied("Seul le service pilote d'un marché notifié en tient les comptes.")
    marche = marche_verrouille(marche)
    if marche.statut != MarcheSubsequent.Statut.NOTIFIE:
        raise ActionImpossible(
            f"Le marché est « {marche.get_statut_display()} » : son exécution financière "
            "s'ouvre une fois le marché notifié."
        )
    if Execution.objects.filter(marche=marche).exists():
        raise ActionImpossible("L'exécution financière de ce marché est déjà ouverte.")
    _verifier_montants(montant_ht, montant_tva, montant_ttc)
    verifier_echeancier(tranches)
    execution = Execution(
        marche=marche,
        montant_ht=montant_ht,
        montant_tva=montant_tva,
        montant_ttc=montant_ttc,
        numero_ej=numero_ej.strip(),
        duree_mois=duree_mois,
        ouverte_par=par,
    )
    _valider(execution, exclude=["marche"])
    execution.save()
    montants = repartir(montant_ttc, [t.pourcentage for t in tranches])
    avances = []
    for ordre, (saisie, montant) in enumerate(zip(tranches, montants, strict=True), start=1):
        tranche = Tranche(
            execution=execution,
            ordre=ordre,
            libelle=saisie.libelle.strip(),
            jalon=saisie.jalon,
            pourcentage=saisie.pourcentage,
            montant=montant,
        )
        _valider(tranche, exclude=["execution", "statut"])
        if saisie.jalon == Jalon.AVANCE:
            # The avance is due on notification, which has happened: one action, one line.
            tranche.rendre_exigible()
            avances.append(tranche)
        tranche.save()
    commentaire = " ; ".join(
        f"« {t.libelle} » exigible : {euros(t.montant, centimes=True)}" for t in avances
    )
    journal_ecrire(
        code=CodeFinances.EXECUTION_OUVERTE,
        objet=execution,
        atelier=marche.atelier,
        par=par,
        libelle=(
            f"Exécution financière ouverte : {euros(montant_ht, centimes=True)} HT notifiés "
            f"({euros(montant_ttc, centimes=True)} TTC), engagement juridique "
            f"{execution.numero_ej}, {len(tranches)} tranche{'s' if len(tranches) > 1 else ''}"
        ),
        commentaire=commentaire,
    )
    for tranche in avances:
        _courriel_tranche_exigible(tranche)
    return execution


@transaction.atomic
def execution_modifier(
    *,
    execution: Execution,
    par: Utilisateur,
    vu: int,
    montant_ht: Decimal,
    montant_tva: Decimal,
    montant_ttc: Decimal,
    numero_ej: str,
    duree_mois: int,
    tranches: Sequence[TrancheSaisie],
) -> Execution:
    """Change the execution as a whole, if it is still the version `vu` the pilot saw: the
    engagement juridique, the duration and the labels always; the amounts and the shares only
    until a first payment; a tranche that is payable or paid stays, with its milestone. Writes
    nothing when nothing changed."""
    if not par.has_perm(GERER_FINANCES, execution.marche):
        raise PermissionDenied("Seul le service pilote d'un marché notifié en tient les comptes.")
    execution = _execution_verrouillee(execution.pk)
    if execution.version != vu:
        raise ActionImpossible(
            "L'exécution financière a été modifiée depuis que vous avez ouvert la page : "
            "vérifiez-la avant de recommencer."
        )
    _verifier_montants(montant_ht, montant_tva, montant_ttc)
    verifier_echeancier(tranches)
    existantes = {t.pk: t for t in execution.tranches.all()}
    inconnues = {t.id for t in tranches if t.id is not None} - set(existantes)
    if inconnues:
        raise ActionImpossible("Une tranche de l'échéancier n'appartient pas à ce marché.")
    paye = Paiement.objects.filter(tranche__execution=execution).exists()
    changements = []
    if (montant_ht, montant_tva, montant_ttc) != (
        execution.montant_ht,
        execution.montant_tva,
        execution.montant_ttc,
    ):
        if paye:
            raise ActionImpossible(
                "Le montant notifié ne change plus une fois un paiement enregistré : un avenant "
                "se traite hors du portail."
            )
        changements.append(
            f"montant notifié {euros(execution.montant_ht, centimes=True)} HT → "
            f"{euros(montant_ht, centimes=True)} HT"
        )
    if numero_ej.strip() != execution.numero_ej:
        changements.append(f"engagement juridique {execution.numero_ej} → {numero_ej.strip()}")
    if duree_mois != execution.duree_mois:
        changements.append(f"durée {execution.duree_mois} → {duree_mois} mois")
    gardees = {t.id for t in tranches if t.id is not None}
    for tranche in existantes.values():
        if tranche.pk not in gardees and tranche.statut != Tranche.Statut.PREVUE:
            raise ActionImpossible(
                f"La tranche « {tranche.libelle} » est {tranche.get_statut_display().lower()} : "
                "elle reste dans l'échéancier."
            )
    for saisie in tranches:
        avant = existantes.get(saisie.id) if saisie.id is not None else None
        if avant is None:
            continue
        if saisie.jalon != avant.jalon and avant.statut != Tranche.Statut.PREVUE:
            raise ActionImpossible(
                f"La tranche « {avant.libelle} » est {avant.get_statut_display().lower()} : "
                "son jalon ne change plus."
            )
        if saisie.pourcentage != avant.pourcentage and paye:
            raise ActionImpossible(
                "Les pourcentages de l'échéancier ne changent plus une fois un paiement enregistré."
            )
    avant_echeancier = [
        (t.libelle, t.jalon, t.pourcentage)
        for t in sorted(existantes.values(), key=lambda t: t.ordre)
    ]
    apres_echeancier = [(t.libelle.strip(), t.jalon, t.pourcentage) for t in tranches]
    if avant_echeancier != apres_echeancier:
        changements.append(
            "échéancier : "
            + ", ".join(f"{libelle} {pourcent(p)}" for libelle, _, p in apres_echeancier)
        )
    if not changements:
        return execution
    execution.montant_ht, execution.montant_tva, execution.montant_ttc = (
        montant_ht,
        montant_tva,
        montant_ttc,
    )
    execution.numero_ej, execution.duree_mois = numero_ej.strip(), duree_mois
    _valider(execution, exclude=["marche"])
    execution.version += 1
    execution.save()
    Tranche.objects.filter(execution=execution).exclude(pk__in=gardees).delete()
    # Out of the way first: the new order may swap two tranches (ordre is unique).
    for tranche in existantes.values():
        if tranche.pk in gardees:
            Tranche.objects.filter(pk=tranche.pk).update(ordre=tranche.ordre + 1000)
    montants = repartir(montant_ttc, [t.pourcentage for t in tranches])
    for ordre, (saisie, montant) in enumerate(zip(tranches, montants, strict=True), start=1):
        ligne = existantes.get(saisie.id) if saisie.id is not None else None
        if ligne is None:
            ligne = Tranche(execution=execution)
        ligne.ordre, ligne.libelle, ligne.jalon = ordre, saisie.libelle.strip(), saisie.jalon
        ligne.pourcentage, ligne.montant = saisie.pourcentage, montant
        _valider(ligne, exclude=["execution", "statut"])
        ligne.save()
    journal_ecrire(
        code=CodeFinances.EXECUTION_MODIFIEE,
        objet=execution,
        atelier=execution.marche.atelier,
        par=par,
        libelle="Exécution financière modifiée",
        commentaire=" ; ".join(changements),
    )
    return execution


@transaction.atomic
def credit_enregistrer(
    *,
    execution: Execution,
    par: Utilisateur,
    annee: int,
    ae: Decimal,
    cp: Decimal,
) -> CreditAnnuel:
    """Record (or correct) the AE and CP of one year for the marché; over all years, neither
    exceeds the montant notifié TTC."""
    if not par.has_perm(GERER_FINANCES, execution.marche):
        raise PermissionDenied("Seul le service pilote d'un marché notifié en tient les comptes.")
    execution = _execution_verrouillee(execution.pk)
    marche = execution.marche
    credit = CreditAnnuel.objects.filter(marche=marche, annee=annee).first() or CreditAnnuel(
        marche=marche, annee=annee
    )
    credit.ae, credit.cp, credit.modifie_par = ae, cp, par
    _valider(credit, exclude=["marche", "modifie_par"])
    autres = CreditAnnuel.objects.filter(marche=marche).exclude(annee=annee)
    totaux = autres.aggregate(ae=Sum("ae"), cp=Sum("cp"))
    for cle, nom, valeur in (
        ("ae", "autorisations d'engagement", ae),
        ("cp", "crédits de paiement", cp),
    ):
        total = (totaux[cle] or Decimal(0)) + valeur
        if total > execution.montant_ttc:
            raise ActionImpossible(
                f"Les {nom} de toutes les années dépasseraient le montant notifié TTC de "
                f"{euros(total - execution.montant_ttc, centimes=True)}."
            )
    credit.modifie_le = timezone.now()
    credit.save()
    journal_ecrire(
        code=CodeFinances.CREDITS_ENREGISTRES,
        objet=credit,
        atelier=marche.atelier,
        par=par,
        libelle=(
            f"Crédits {annee} enregistrés : AE {euros(ae, centimes=True)}, "
            f"CP {euros(cp, centimes=True)}"
        ),
    )
    return credit


def tranche_liberer(*, tranche: Tranche, par: Utilisateur) -> Tranche:
    """The milestone of `tranche` is reached (a validated livrable, a session held): the
    tranche becomes payable, one line of the journal says so and the pilot service is e-mailed
    to mandate it. The livrables stage calls it in the transaction of its validation."""
    with transaction.atomic():
        _execution_verrouillee(tranche.execution_id)
        tranche = transition_appliquer(
            objet=tranche,
            transition="rendre_exigible",
            par=par,
            vu=Tranche.Statut.PREVUE,
            commentaire=(
                f"« {tranche.libelle} » ({tranche.get_jalon_display()}) : "
                f"{euros(tranche.montant, centimes=True)} à mandater"
            ),
        )
        tranche = Tranche.objects.select_related("execution__marche__atelier").get(pk=tranche.pk)
        _courriel_tranche_exigible(tranche)
    return tranche


@transaction.atomic
def paiement_enregistrer(
    *,
    tranche: Tranche,
    par: Utilisateur,
    date_service_fait: datetime.date,
    date_mandatement: datetime.date,
    montant: Decimal,
) -> Paiement:
    """Record a payment mandated on a payable tranche: never beyond what remains of the tranche
    nor of the montant notifié (the message says by how much); the tranche is paid once its
    payments cover it."""
    if not par.has_perm(GERER_FINANCES, tranche.execution.marche):
        raise PermissionDenied("Seul le service pilote d'un marché notifié en tient les comptes.")
    execution = _execution_verrouillee(tranche.execution_id)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.statut == Tranche.Statut.PREVUE:
        raise ActionImpossible(
            f"La tranche « {tranche.libelle} » n'est pas encore exigible : son jalon n'est pas "
            "atteint."
        )
    if tranche.statut == Tranche.Statut.PAYEE:
        raise ActionImpossible(f"La tranche « {tranche.libelle} » est déjà entièrement payée.")
    paiement = Paiement(
        tranche=tranche,
        date_service_fait=date_service_fait,
        date_mandatement=date_mandatement,
        montant=montant,
        enregistre_par=par,
    )
    _valider(paiement, exclude=["tranche", "enregistre_par"])
    if date_mandatement < date_service_fait:
        raise ActionImpossible(
            f"La date de mandatement ({date_longue(date_mandatement)}) ne peut pas "
            f"précéder la date du service fait ({date_longue(date_service_fait)})."
        )
    notifie_le = execution.marche.notifie_le
    if notifie_le and date_service_fait < notifie_le:
        raise ActionImpossible(
            "Le service fait ne peut pas précéder la notification du marché "
            f"(le {date_longue(notifie_le)})."
        )
    deja_paye = Paiement.objects.filter(tranche__execution=execution).aggregate(s=Sum("montant"))[
        "s"
    ] or Decimal(0)
    reste = execution.montant_ttc - deja_paye
    if montant > reste:
        raise ActionImpossible(
            f"Ce paiement dépasserait le montant notifié de {euros(montant - reste, centimes=True)}"
            f" : il reste {euros(reste, centimes=True)} à payer sur ce marché."
        )
    reste_tranche = tranche.reste()
    if montant > reste_tranche:
        raise ActionImpossible(
            f"Ce paiement dépasserait le reste à payer de la tranche « {tranche.libelle} » "
            f"({euros(reste_tranche, centimes=True)}) de "
            f"{euros(montant - reste_tranche, centimes=True)}."
        )
    paiement.save()
    # The execution is locked: its paid amount is the payments' sum, read above, plus this one.
    execution.montant_paye = deja_paye + montant
    execution.save(update_fields=["montant_paye"])
    libelle = (
        f"Paiement enregistré : {euros(montant, centimes=True)} sur la tranche "
        f"« {tranche.libelle} »"
    )
    if montant == reste_tranche:
        tranche.solder(le=date_mandatement)
        tranche.save()
        libelle += ", désormais soldée"
    journal_ecrire(
        code=CodeFinances.PAIEMENT_ENREGISTRE,
        objet=paiement,
        atelier=execution.marche.atelier,
        par=par,
        libelle=libelle,
    )
    return paiement
