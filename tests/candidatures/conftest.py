"""Fixtures shared by the candidature tests; each module defines its own `atelier`."""

import pytest

from candidatures.services import candidature_ouvrir
from tests.comptes.factories import UtilisateurFactory


@pytest.fixture
def candidature(atelier):
    """The atelier's candidature, opened as DGALN's confirmation opens it."""
    return candidature_ouvrir(atelier=atelier)


@pytest.fixture
def porteur(atelier):
    """A member of the atelier's (first) collectivité porteuse."""
    return UtilisateurFactory(organisations=[atelier.collectivites.first()])


@pytest.fixture
def redacteur(atelier, client):
    """A member of the atelier's collectivité porteuse, logged in."""
    user = UtilisateurFactory(organisations=[atelier.collectivites.get()])
    client.force_login(user)
    return user
