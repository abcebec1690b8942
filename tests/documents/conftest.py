from pathlib import Path

import pytest

from tests.comptes.factories import UtilisateurFactory

GABARITS = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def gabarits_essai(settings):
    """The small print templates of these tests, beside the portal's own."""
    moteur = dict(settings.TEMPLATES[0])
    moteur["DIRS"] = [*moteur["DIRS"], GABARITS]
    settings.TEMPLATES = [moteur, *settings.TEMPLATES[1:]]


@pytest.fixture
def deposant():
    return UtilisateurFactory()
