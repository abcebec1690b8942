"""The printed documents of the analysis: each one's builder (tests/candidatures/
test_pdf_imprimes.py checks every template of templates/pdf/ is a tagged PDF/A-3u with an
outline), and their context functions read in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marches.models import Lettre, MarcheSubsequent, Offre
from marches.pdf import contexte_lettre, contexte_rapport_analyse
from marches.services import marche_declarer_infructueux
from tests.marches.test_analyse import jury
from tests.marches.test_attribution import analyse_prete, attribuer, notifier

pytestmark = pytest.mark.django_db

S = MarcheSubsequent.Statut


def rapport_analyse(candidature=None, porteur=None):
    j = jury()
    return analyse_prete(j).document


def _notifie(type_lettre):
    def lettre(candidature=None, porteur=None):
        j = jury()
        analyse_prete(j)
        attribuer(j)
        notifier(j)
        return Lettre.objects.get(
            type=type_lettre,
            groupement=j.offres[-1 if type_lettre == Lettre.Type.REJET else 0].groupement,
        ).document

    return lettre


def lettre_infructueux(candidature=None, porteur=None):
    j = jury()
    Offre.objects.filter(pk__in=[o.pk for o in j.offres]).update(
        statut=Offre.Statut.INACCEPTABLE, motif="Au-delà des crédits disponibles."
    )
    marche_declarer_infructueux(
        marche=MarcheSubsequent.objects.get(pk=j.marche.pk),
        par=j.pilote,
        vu=S.EN_ANALYSE,
        motif="Aucune offre acceptable.",
    )
    return Lettre.objects.filter(type=Lettre.Type.INFRUCTUEUX).first().document


IMPRIMES_ANALYSE = {
    "rapport_analyse.html": rapport_analyse,
    "lettre_rejet.html": _notifie(Lettre.Type.REJET),
    "lettre_notification.html": _notifie(Lettre.Type.NOTIFICATION),
    "lettre_infructueux.html": lettre_infructueux,
}


def _requetes(fonction, source):
    with CaptureQueriesContext(connection) as requetes:
        contexte = fonction(source)
    return len(requetes.captured_queries), contexte


def test_les_contextes_se_lisent_en_un_nombre_fixe_de_requetes():
    comptes = []
    for nombre in (3, 6):
        j = jury(nombre)
        rapport = analyse_prete(j)
        attribuer(j)
        notifier(j)
        n_rapport, contexte = _requetes(contexte_rapport_analyse, rapport)
        assert len(contexte["offres"]) == nombre
        lettre = Lettre.objects.filter(type=Lettre.Type.REJET, consultation=j.consultation).first()
        n_lettre, contexte_l = _requetes(contexte_lettre, lettre)
        assert contexte_l["attributaire"]["nom"] == j.offres[0].groupement.nom
        assert "montant_ht" not in contexte_l["attributaire"]
        comptes.append((n_rapport, n_lettre))
    assert comptes[0] == comptes[1]


def test_la_lettre_de_rejet_ne_porte_que_les_notes_de_l_attributaire_et_les_siennes():
    j = jury()
    analyse_prete(j)
    attribuer(j)
    notifier(j)
    lettre = Lettre.objects.get(groupement=j.offres[2].groupement)
    contexte = contexte_lettre(lettre)
    assert contexte["scores"]["groupement"] == j.offres[2].groupement.nom
    assert set(contexte["attributaire"]) == {"nom", "motifs", "total", "groupes"}
    # No trace of the middle offer, neither its name nor its figures.
    texte = repr(contexte)
    assert j.offres[1].groupement.nom not in texte
    assert str(j.offres[1].montant_ht) not in texte
    assert str(j.offres[0].montant_ht) not in texte
    assert contexte["offre"]["montant_ht"] == Decimal("103456.78")
