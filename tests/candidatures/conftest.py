import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Deposited letters and rendered PDFs go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
