"""The atelier's calendar: planned against actual, late steps, today's line, the month count,
and who may read it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import EtapePrevue
from ateliers.selectors.calendrier import LARGEUR, MARGE_DROITE, MARGE_GAUCHE, dessiner
from ateliers.services.cadrage import cadrage_clore, cadrage_enregistrer
from comptes.dates import date_longue
from tests.ateliers.test_cadrage import HIER, reunion
from tests.requetes import nombre_de_requetes

J = datetime.date


def test_chaque_etape_est_faite_en_retard_ou_a_venir_selon_aujourd_hui():
    calendrier = dessiner(
        J(2027, 1, 1),
        [
            ("Cadrage", J(2027, 1, 15), J(2027, 1, 14)),
            ("Session 1", J(2027, 3, 1), J(2027, 3, 8)),
            ("Session 2", J(2027, 5, 1), None),
            ("Session 3", J(2027, 9, 1), None),
            ("Livret", None, None),
        ],
        J(2027, 6, 1),
    )
    assert [ligne.etat for ligne in calendrier.lignes] == [
        "fait",
        "en retard",
        "en retard",
        "à venir",
        "à venir",
    ]
    assert [ligne.retard_jours for ligne in calendrier.lignes[:2]] == [0, 7]
    assert calendrier.mois_ecoules == 5
    # Fifteen months drawn, from the left margin to the right one.
    assert calendrier.fin == J(2028, 4, 1) and len(calendrier.mois) == 16
    assert calendrier.mois[0].x == MARGE_GAUCHE and calendrier.mois[-1].x == LARGEUR - MARGE_DROITE
    cadrage, session_1 = calendrier.lignes[:2]
    assert MARGE_GAUCHE < cadrage.x_reelle < cadrage.x_prevue < session_1.x_prevue
    assert session_1.x_prevue < calendrier.x_aujourd_hui < calendrier.lignes[3].x_prevue
    assert calendrier.x_min < calendrier.x_max


def test_une_date_au_dela_de_15_mois_allonge_la_frise_et_aujourd_hui_hors_frise_n_a_pas_de_trait():
    calendrier = dessiner(J(2027, 1, 1), [("Restitution", J(2028, 7, 1), None)], J(2026, 12, 1))
    assert calendrier.fin == J(2028, 7, 1) and calendrier.lignes[0].x_prevue == LARGEUR - 24
    assert calendrier.x_aujourd_hui is None and calendrier.mois_ecoules == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("pilote", 200),
        ("porteuse", 200),
        ("groupement", 200),
        ("dgaln", 200),
        ("dreal", 404),
        ("autre_groupement", 404),
    ],
)
def test_la_page_du_calendrier_par_role(client, acc, qui, statut):
    client.force_login(getattr(acc, qui))
    reponse = client.get(reverse("ateliers:calendrier", args=[acc.atelier.pk]))
    assert reponse.status_code == statut
    if statut == 200:
        texte = reponse.content.decode()
        assert "Étapes prévues et réalisées" in texte and 'role="img"' in texte
        # SVG lengths are numbers with a dot, whatever the page's language.
        dessin = texte.split("<svg")[1].split("</svg>")[0]
        assert re.findall(r'cx="([^"]*)"', dessin)
        assert all(
            re.fullmatch(r"\d+(\.\d+)?", v) for v in re.findall(r' c?x\d?="([^"]*)"', dessin)
        )
        fixer = reverse("ateliers:calendrier_fixer", args=[acc.atelier.pk])
        assert (fixer in texte) == (qui in ("pilote", "groupement"))


@pytest.mark.django_db
def test_le_cadrage_clos_est_fait_a_la_date_de_sa_reunion(client, acc):
    cadrage_enregistrer(cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir", valeurs=reunion())
    cadrage_clore(cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir")
    client.force_login(acc.porteuse)
    url = reverse("ateliers:calendrier", args=[acc.atelier.pk])
    texte = client.get(url).content.decode()
    ligne = texte.split(f'<th scope="row">{EtapePrevue.Nature.CADRAGE.label}</th>')[1]
    ligne = ligne.split("</tr>")[0]
    # Held yesterday, planned some weeks after the notification: done, and early.
    assert date_longue(timezone.localdate(HIER)) in ligne and ">Fait</span>" in ligne
    assert nombre_de_requetes(client, url) <= 12


@pytest.mark.django_db
def test_les_sessions_tenues_et_la_restitution_passee_sont_faites_a_leur_date(acc):
    from ateliers.models import Session
    from ateliers.selectors.calendrier import calendrier_de
    from ateliers.services.restitution import restitution_enregistrer
    from ateliers.services.session import sessions_creer

    (premiere, *_) = sessions_creer(atelier=acc.atelier)
    # Held on 9 March: what the session's own service writes, without its e-mails.
    Session.objects.filter(pk=premiere.pk).update(date=J(2027, 3, 9), lieu="Mairie", statut="tenue")
    restitution_enregistrer(atelier=acc.atelier, par=acc.pilote, valeurs={"date": HIER})
    lignes = {ligne.libelle: ligne for ligne in calendrier_de(acc.atelier).lignes}
    assert lignes["Session 1 : diagnostic et enjeux"].reelle == J(2027, 3, 9)
    assert lignes["Session 2 : stratégie"].reelle is None
    assert lignes["Restitution"].reelle == timezone.localdate(HIER)
