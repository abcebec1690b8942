"""A task for the broker-outage test: it marks its start, works for three seconds, then records
its effect, so the test can cut Redis while it runs and count the effect afterwards."""

import time
from pathlib import Path

from config.celery import app


@app.task(name="essai.tache_lente")
def tache_lente(*, dossier: str) -> None:
    """Write `debut`, wait three seconds, append one line to `effet`."""
    (Path(dossier) / "debut").touch()
    time.sleep(3)
    with (Path(dossier) / "effet").open("a") as effet:
        effet.write("fait\n")
