import pytest

from tests.comptes.factories import UtilisateurFactory, membre
from tests.marches.factories import AccordCadreFactory, TitulaireFactory


@pytest.fixture
def accord_cadre():
    """The accord-cadre in force, with two titulaires."""
    accord = AccordCadreFactory()
    TitulaireFactory(accord_cadre=accord)
    TitulaireFactory(accord_cadre=accord)
    return accord


@pytest.fixture
def pilote_de():
    """A member of the State service that pilots `marche`'s atelier."""
    return lambda marche: UtilisateurFactory(organisations=[marche.atelier.service_pilote])


@pytest.fixture
def porteuse_de():
    """A member of the first collectivité porteuse of `marche`'s atelier."""
    return lambda marche: UtilisateurFactory(organisations=[marche.atelier.collectivites.first()])


@pytest.fixture
def agent_dgaln():
    return membre(dgaln=True)
