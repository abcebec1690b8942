from pathlib import Path

import pytest

GABARITS = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def gabarits_essai(settings):
    """The small print templates of these tests, beside the portal's own."""
    moteur = dict(settings.TEMPLATES[0])
    moteur["DIRS"] = [*moteur["DIRS"], GABARITS]
    settings.TEMPLATES = [moteur, *settings.TEMPLATES[1:]]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored files go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
