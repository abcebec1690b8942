"""Two validations of one livrable at the same moment, with PostgreSQL's real row locks: one
wins, the other is told, and the tranche is released once."""

import threading

import pytest
from django.db import connection

from ateliers.models import Evenement
from ateliers.services import ActionImpossible
from livrables.models import CodeLivrable, Livrable
from livrables.selectors import livrable_de
from livrables.services import livrable_valider
from marches.models import Jalon, Paiement, Tranche
from tests.livrables.outils import NOTE, deposer
from tests.marques import SUR_POSTGRES

pytestmark = [*SUR_POSTGRES, pytest.mark.django_db(transaction=True)]


def test_deux_validations_en_meme_temps_ne_liberent_qu_une_tranche(liv):
    deposer(liv)
    livrable = livrable_de(liv.atelier, NOTE)
    depart = threading.Barrier(2)
    issues = []

    def valider():
        depart.wait()
        try:
            livrable_valider(livrable=livrable, par=liv.pilote, vu=Livrable.Statut.DEPOSE)
            issues.append("ok")
        except ActionImpossible as exc:
            issues.append(str(exc))
        finally:
            connection.close()

    fils = [threading.Thread(target=valider) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert issues.count("ok") == 1 and len(issues) == 2, issues
    tranche = Tranche.objects.get(execution=liv.execution, jalon=Jalon.NOTE_CADRAGE)
    assert tranche.statut == Tranche.Statut.EXIGIBLE
    assert Tranche.objects.filter(statut=Tranche.Statut.EXIGIBLE).count() == 2  # and the avance
    assert not Paiement.objects.exists()
    assert Evenement.objects.filter(code=CodeLivrable.VALIDE).count() == 1
