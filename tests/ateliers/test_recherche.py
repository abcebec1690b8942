"""The search of the list of ateliers: the same `icontains` everywhere, served on PostgreSQL
by trigram indexes."""

import pytest
from django.db import connection
from django.urls import reverse

from ateliers.models import Atelier
from portail.views import _recherche
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import membre

pytestmark = pytest.mark.django_db


def test_la_recherche_trouve_l_intitule_et_les_communes_sans_tenir_compte_de_la_casse(client):
    vallee = AtelierFactory(intitule="Vallée de la Dordogne")
    figeac = AtelierFactory(intitule="Causses", communes="Cahors, Figeac")
    AtelierFactory(intitule="Bocage")
    client.force_login(membre(dgaln=True))

    for texte, attendus in (("dordogne", [vallee]), ("FIGEAC", [figeac])):
        response = client.get(reverse("portail:ateliers"), {"q": texte})
        assert list(response.context["ateliers"]) == attendus


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index de trigrammes : PostgreSQL")
@pytest.mark.parametrize("champ", ["intitule", "communes"])
def test_la_recherche_passe_par_un_index_de_trigrammes(champ):
    AtelierFactory(intitule="Vallée de la Dordogne", communes="Sarlat")
    requete = Atelier.objects.filter(**{f"{champ}__icontains": "dordogne"}).order_by()
    with connection.cursor() as curseur:
        # A handful of rows: without this, PostgreSQL rightly reads the table (or walks
        # another index); only a bitmap scan of an index that matches the condition remains.
        curseur.execute("SET LOCAL enable_seqscan = off")
        curseur.execute("SET LOCAL enable_indexscan = off")
        plan = requete.explain()

    assert f"atelier_{champ}_trgm" in plan


def test_la_recherche_par_reference_vise_le_numero():
    atelier = AtelierFactory()
    assert Atelier.objects.filter(_recherche(atelier.reference)).get() == atelier
