"""What the accompagnement's tests share: a notified atelier in its cadrage, and who is who."""

import datetime
from dataclasses import dataclass

import pytest

from ateliers.models import Atelier, Cadrage, Phase
from ateliers.services.cadrage import cadrage_ouvrir
from comptes.models import Utilisateur
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre


@dataclass
class Accompagnement:
    atelier: Atelier
    cadrage: Cadrage
    pilote: Utilisateur
    porteuse: Utilisateur
    groupement: Utilisateur
    dgaln: Utilisateur
    dreal: Utilisateur
    autre_groupement: Utilisateur
    # Another person of the titulaire groupement: not the author of what the first one wrote.
    collegue: Utilisateur


@pytest.fixture
def acc():
    ddt = OrganisationFactory(ddt=True)
    collectivite = OrganisationFactory(departement=ddt.departement)
    groupement = OrganisationFactory(groupement=True)
    atelier = AtelierFactory(
        phase=Phase.CADRAGE,
        service_pilote=ddt,
        collectivites=[collectivite],
        groupement=groupement,
        departements=[ddt.departement],
        debut_accompagnement=datetime.date(2027, 1, 4),
    )
    cadrage = cadrage_ouvrir(
        atelier=atelier, debut=datetime.date(2027, 1, 4), duree_mois=12, calendrier_cctp="Juin."
    )
    return Accompagnement(
        atelier=atelier,
        cadrage=cadrage,
        pilote=UtilisateurFactory(organisations=[ddt]),
        porteuse=UtilisateurFactory(organisations=[collectivite]),
        groupement=UtilisateurFactory(organisations=[groupement]),
        dgaln=membre(dgaln=True),
        dreal=UtilisateurFactory(
            organisations=[OrganisationFactory(dreal=True, region=ddt.departement.region)]
        ),
        autre_groupement=membre(groupement=True),
        collegue=UtilisateurFactory(organisations=[groupement]),
    )
