"""Dates in words: « 1er » on the first of the month, Paris time for moments."""

import datetime

from django.template import Context, Template
from django.utils import timezone

from comptes.dates import date_heure_longue, date_longue


def test_le_premier_du_mois_s_ecrit_1er_et_les_autres_jours_en_chiffres():
    assert date_longue(datetime.date(2026, 7, 1)) == "1er juillet 2026"
    assert date_longue(datetime.date(2026, 7, 2)) == "2 juillet 2026"
    assert date_longue(datetime.date(2026, 7, 11)) == "11 juillet 2026"
    assert date_longue(datetime.date(2026, 7, 21)) == "21 juillet 2026"


def test_un_moment_est_dit_a_l_heure_de_paris():
    # 23:30 UTC on 30 June is already the 1st of July in Paris (UTC+2 in summer).
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert date_longue(moment) == "1er juillet 2026"
    assert date_heure_longue(moment) == "1er juillet 2026 à 01:30"


def test_les_filtres_sont_dans_chaque_gabarit_sans_load():
    gabarit = Template("{{ jour|jour }} · {{ moment|jour_heure }} · [{{ rien|jour }}]")
    moment = timezone.make_aware(datetime.datetime(2027, 1, 1, 9, 5))
    texte = gabarit.render(
        Context({"jour": datetime.date(2026, 3, 1), "moment": moment, "rien": None})
    )
    assert texte == "1er mars 2026 · 1er janvier 2027 à 09:05 · []"


def test_les_formats_ecrits_directement_disent_ce_que_dit_la_locale_de_django():
    from django.utils.formats import date_format

    from comptes.dates import JOUR, JOUR_HEURE

    for mois in range(1, 13):
        for jour in (1, 2, 28):
            moment = datetime.datetime(2026, mois, jour, 7, 5)
            attendu = date_format(moment, JOUR).replace("1 ", "1er ", 1) if jour == 1 else None
            assert date_longue(moment.date()) == (attendu or date_format(moment, JOUR))
            heure = date_format(moment, JOUR_HEURE)
            assert date_heure_longue(moment) == ("1er" + heure[1:] if jour == 1 else heure)
