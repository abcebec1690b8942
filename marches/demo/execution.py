"""L'exécution financière du marché de démonstration : échéancier, crédits, tranches et
paiements."""

import datetime
from decimal import Decimal

from django.utils import timezone

from marches.demo.donnees import (
    ECHEANCIER,
)
from marches.models import (
    Jalon,
    Offre,
)
from marches.services import (
    credit_enregistrer,
    execution_ouvrir,
    paiement_enregistrer,
    tranche_liberer,
)


def ouvrir(marche, pilote, tranches, *, numero_ej="2104567890", duree_mois=12):
    """The execution opened at the attributaire's amount, with the échéancier `tranches`."""
    ht = Offre.objects.get(consultation__marche=marche, groupement=marche.attributaire).montant_ht
    tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
    return execution_ouvrir(
        marche=marche,
        par=pilote,
        montant_ht=ht,
        montant_tva=tva,
        montant_ttc=ht + tva,
        numero_ej=numero_ej,
        duree_mois=duree_mois,
        tranches=tranches,
    )


def executer(marche, pilote, mois):
    """The execution opened with its échéancier, the credits of two years, the avance
    paid, the note de cadrage validated and paid."""
    execution = ouvrir(marche, pilote, ECHEANCIER)
    ht, tva = execution.montant_ht, execution.montant_tva
    annee = (timezone.localdate() - datetime.timedelta(days=15 * mois)).year
    cp = ((ht + tva) * Decimal("0.6")).quantize(Decimal("1"))
    credit_enregistrer(execution=execution, par=pilote, annee=annee, ae=ht + tva, cp=cp)
    credit_enregistrer(
        execution=execution, par=pilote, annee=annee + 1, ae=Decimal(0), cp=ht + tva - cp
    )
    payer(execution.tranches.get(jalon=Jalon.AVANCE), pilote, liberer=False)
    payer(execution.tranches.get(jalon=Jalon.NOTE_CADRAGE), pilote, liberer=True)
    return execution


def payer(tranche, pilote, *, liberer):
    if liberer:
        tranche = tranche_liberer(tranche=tranche, par=pilote)
    paiement_enregistrer(
        tranche=tranche,
        par=pilote,
        date_service_fait=timezone.localdate(),
        date_mandatement=timezone.localdate(),
        montant=tranche.montant,
    )
