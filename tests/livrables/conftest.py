"""What the livrables' tests share: a notified atelier in its cadrage, with its marché's
échéancier, and who is who."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from ateliers.models import Atelier
from ateliers.services.cadrage import cadrage_ouvrir
from comptes.models import Utilisateur
from marches.models import Execution, Jalon, MarcheSubsequent
from marches.services import TrancheSaisie, execution_ouvrir
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.factories import (
    ConsultationFactory,
    MarcheFactory,
    OffreFactory,
    VersionCctpFactory,
)

ECHEANCIER = [
    TrancheSaisie("Avance à la notification", Jalon.AVANCE, Decimal(20)),
    TrancheSaisie("Note de cadrage validée", Jalon.NOTE_CADRAGE, Decimal(20)),
    TrancheSaisie("Session 1 tenue", Jalon.SESSION_1, Decimal(15)),
    TrancheSaisie("Session 2 tenue", Jalon.SESSION_2, Decimal(15)),
    TrancheSaisie("Session 3 tenue", Jalon.SESSION_3, Decimal(15)),
    TrancheSaisie("Livrables finaux validés", Jalon.LIVRABLES_FINAUX, Decimal(15)),
]


@dataclass
class Livraison:
    atelier: Atelier
    marche: MarcheSubsequent
    execution: Execution
    pilote: Utilisateur
    porteuse: Utilisateur
    groupement: Utilisateur
    dgaln: Utilisateur
    dreal: Utilisateur
    autre_groupement: Utilisateur


@pytest.fixture
def liv():
    return livraison()


def livraison(**champs) -> Livraison:
    """The notified atelier in its cadrage with its échéancier, and one user per role (the
    end-to-end journeys build theirs here too); `champs` are the atelier's fields."""
    ddt = OrganisationFactory(ddt=True)
    collectivite = OrganisationFactory(departement=ddt.departement)
    marche = MarcheFactory(
        statut=MarcheSubsequent.Statut.NOTIFIE,
        atelier__service_pilote=ddt,
        atelier__collectivites=[collectivite],
        atelier__departements=[ddt.departement],
        **{f"atelier__{champ}": valeur for champ, valeur in champs.items()},
    )
    atelier = marche.atelier
    atelier.groupement = marche.attributaire
    atelier.save(update_fields=["groupement"])
    version = VersionCctpFactory(consultation=ConsultationFactory(marche=marche))
    OffreFactory(version_cctp=version, groupement=marche.attributaire)
    cadrage_ouvrir(atelier=atelier, debut=datetime.date(2027, 1, 4), duree_mois=12)
    pilote = UtilisateurFactory(organisations=[ddt])
    execution = execution_ouvrir(
        marche=marche,
        par=pilote,
        tranches=ECHEANCIER,
        montant_ht=Decimal("95000.00"),
        montant_tva=Decimal("19000.00"),
        montant_ttc=Decimal("114000.00"),
        numero_ej="2101234567",
        duree_mois=12,
    )
    return Livraison(
        atelier=atelier,
        marche=marche,
        execution=execution,
        pilote=pilote,
        porteuse=UtilisateurFactory(organisations=[collectivite]),
        groupement=UtilisateurFactory(organisations=[marche.attributaire]),
        dgaln=membre(dgaln=True),
        dreal=UtilisateurFactory(
            organisations=[OrganisationFactory(dreal=True, region=ddt.departement.region)]
        ),
        autre_groupement=membre(groupement=True),
    )
