"""The Celery worker survives Redis dying under a running task.

Seen with Celery 5.7.0: the worker closed its broken connection after collecting it, the close
put the unacknowledged task back through a transport that had no client any more, and the
worker exited with « Unrecoverable error: AttributeError("'NoneType' object has no attribute
'hostname'") » (2 of 2 outages). The worker here is a real `make worker` process on a throwaway
redis-server; the task is cut off from the broker for a few seconds while it runs.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

ATTENTE_MAX = 60


def _attendre(condition, *, journal, quoi):
    limite = time.monotonic() + ATTENTE_MAX
    while time.monotonic() < limite:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{quoi} après {ATTENTE_MAX} s ; fin du journal du worker :\n{_fin(journal)}")


def _fin(journal):
    return journal.read_text()[-3000:]


@pytest.fixture
def worker(redis_jetable, tmp_path):
    """The `make worker` command on the throwaway Redis, with the slow test task included."""
    journal = tmp_path / "worker.log"
    environnement = {**os.environ, "REDIS_URL": str(redis_jetable)}
    with journal.open("w") as sortie:
        commande = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "celery,pdf"]
        commande += ["--loglevel=info", "--include", "tests.taches_lentes"]
        processus = subprocess.Popen(  # noqa: S603 - our own interpreter, no shell
            commande,
            cwd=settings.BASE_DIR,
            env=environnement,
            stdout=sortie,
            stderr=subprocess.STDOUT,
        )
    processus.journal = journal
    try:
        _attendre(lambda: "ready." in journal.read_text(), journal=journal, quoi="Worker pas prêt")
        yield processus
    finally:
        if processus.poll() is None:
            processus.send_signal(signal.SIGTERM)
            try:
                processus.wait(timeout=30)
            except subprocess.TimeoutExpired:
                processus.kill()
                processus.wait()


def test_le_worker_survit_a_redis_coupe_pendant_une_tache(redis_jetable, worker, tmp_path):
    dossier = tmp_path / "tache"
    dossier.mkdir()
    envoi = Celery("essai", broker=str(redis_jetable), set_as_current=False)
    envoi.send_task("essai.tache_lente", kwargs={"dossier": str(dossier)}, queue="celery")
    envoi.close()
    journal = worker.journal
    _attendre((dossier / "debut").exists, journal=journal, quoi="Tâche pas commencée")

    redis_jetable.arreter()
    time.sleep(4)
    redis_jetable.demarrer()

    _attendre((dossier / "effet").exists, journal=journal, quoi="Tâche pas terminée")
    _attendre(
        lambda: journal.read_text().count("Connected to redis") >= 2 or worker.poll() is not None,
        journal=journal,
        quoi="Worker pas reconnecté",
    )
    assert worker.poll() is None, f"le worker s'est arrêté :\n{_fin(journal)}"
    assert "Unrecoverable error" not in journal.read_text()
    assert Path(dossier / "effet").read_text() == "fait\n"
