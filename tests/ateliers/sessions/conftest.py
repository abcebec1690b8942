import pytest

from tests.comptes.factories import UtilisateurFactory, membre


@pytest.fixture
def roles():
    """For a session: a member of each organisation that takes part in its atelier, DGALN,
    and a State service of its territory that does not pilot it."""

    def construire(session):
        atelier = session.atelier
        return {
            "pilote": UtilisateurFactory(organisations=[atelier.service_pilote]),
            "groupement": UtilisateurFactory(organisations=[atelier.groupement]),
            "collectivite": UtilisateurFactory(organisations=[atelier.collectivites.first()]),
            "dgaln": membre(dgaln=True),
            "voisin": UtilisateurFactory(organisations=[]),
            "autre_ddt": membre(ddt=True, departement=atelier.departements.first()),
        }

    return construire
