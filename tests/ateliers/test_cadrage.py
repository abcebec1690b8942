"""The cadrage: opened by the notification, recorded and its calendar fixed by the pilot and the
groupement, closed by the pilot only, which alone moves the atelier to session 1."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ateliers.models import (
    Atelier,
    Cadrage,
    CodeCadrage,
    EtapePrevue,
    Evenement,
    Phase,
    calendrier_propose,
)
from ateliers.selectors.cadrage import etapes_prevues
from ateliers.services import ActionImpossible, atelier_changer_phase
from ateliers.services.cadrage import (
    cadrage_clore,
    cadrage_enregistrer,
    calendrier_fixer,
)
from marches.models import MarcheSubsequent
from tests.documents import fichiers_hostiles as h
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
N = EtapePrevue.Nature
HIER = timezone.now() - datetime.timedelta(days=1)


def reunion(**valeurs):
    return {
        "date": HIER,
        "lieu": "Salle du conseil, Vitré",
        "lien_visio": "",
        "participants": "Élodie Marchal, CA\nThomas Le Guennec, DDTM",
        "compte_rendu": "Les enjeux sont partagés.",
        **valeurs,
    }


def test_le_calendrier_propose_suit_la_duree_du_cctp_et_l_ordre_du_programme():
    propose = calendrier_propose(datetime.date(2027, 1, 1), 12)
    assert set(propose) == set(N.values)
    dates = [propose[n] for n in (N.CADRAGE, N.SESSION_1, N.SESSION_2, N.SESSION_3)]
    assert dates == sorted(dates) and dates[0] > datetime.date(2027, 1, 1)
    assert propose[N.LIVRET] == datetime.date(2028, 1, 1)
    assert calendrier_propose(datetime.date(2027, 1, 1), 15)[N.LIVRET] == datetime.date(2028, 4, 1)


def test_la_transition_clore_n_existe_qu_une_fois(acc):
    cadrage = Cadrage.objects.get(pk=acc.cadrage.pk)
    cadrage.clore()
    assert cadrage.statut == Cadrage.Statut.CLOS and cadrage.clos_le is not None
    with pytest.raises(TransitionNotAllowed):
        cadrage.clore()


def test_la_notification_ouvre_le_cadrage_avec_la_duree_du_cctp(
    django_capture_on_commit_callbacks,
):
    from tests.marches.test_analyse import jury
    from tests.marches.test_attribution import jusqu_a

    j = jury()
    version = j.offres[0].version_cctp
    duree = {"duree_mois": 14, "calendrier": "Restitution en mars."}
    version.contenu = {"parties": [{"slug": "duree", "titre": "Durée", "valeurs": duree}]}
    version.save(update_fields=["contenu"])
    marche = jusqu_a(j, MarcheSubsequent.Statut.NOTIFIE, django_capture_on_commit_callbacks)
    cadrage = Cadrage.objects.get(atelier=marche.atelier_id)
    assert (cadrage.statut, cadrage.duree_mois) == (Cadrage.Statut.A_TENIR, 14)
    assert cadrage.calendrier_cctp == "Restitution en mars."
    jalons = etapes_prevues(cadrage.atelier)
    assert len(jalons) == len(N.values)
    assert jalons[N.LIVRET].date_prevue > timezone.localdate() + datetime.timedelta(days=400)


@pytest.mark.parametrize("qui", ["pilote", "groupement"])
def test_le_pilote_et_le_groupement_enregistrent_la_reunion(acc, qui):
    par = getattr(acc, qui)
    presentation = h.televerse("presentation.pdf", h.pdf_pypdf())
    cadrage = cadrage_enregistrer(
        cadrage=acc.cadrage, par=par, vu="a_tenir", valeurs=reunion(), presentation=presentation
    )
    assert cadrage.lieu == "Salle du conseil, Vitré" and cadrage.presentation is not None
    ligne = Evenement.objects.get(code=CodeCadrage.ENREGISTRE)
    assert ligne.par == par and ligne.atelier_id == acc.atelier.pk
    assert "compte-rendu" in ligne.commentaire and "présentation" in ligne.commentaire
    # The same values again change nothing and journal nothing.
    cadrage_enregistrer(cadrage=cadrage, par=par, vu="a_tenir", valeurs=reunion())
    assert Evenement.objects.filter(code=CodeCadrage.ENREGISTRE).count() == 1


@pytest.mark.parametrize("qui", ["porteuse", "dgaln", "dreal", "autre_groupement"])
def test_les_autres_ne_modifient_ni_la_reunion_ni_le_calendrier(acc, qui):
    par = getattr(acc, qui)
    with pytest.raises(PermissionDenied):
        cadrage_enregistrer(cadrage=acc.cadrage, par=par, vu="a_tenir", valeurs=reunion())
    with pytest.raises(PermissionDenied):
        calendrier_fixer(cadrage=acc.cadrage, par=par, dates={N.CADRAGE: datetime.date(2027, 2, 1)})
    with pytest.raises(PermissionDenied):
        cadrage_clore(cadrage=acc.cadrage, par=par, vu="a_tenir")
    assert not Evenement.objects.exists()


def test_le_calendrier_garde_l_ordre_des_etapes_et_journalise_l_ancienne_date(acc):
    jalons = etapes_prevues(acc.atelier)
    avant = jalons[N.SESSION_2].date_prevue
    with pytest.raises(ActionImpossible, match="ne peut pas être prévue avant"):
        calendrier_fixer(
            cadrage=acc.cadrage, par=acc.pilote, dates={N.SESSION_2: datetime.date(2027, 1, 5)}
        )
    nouvelle = avant + datetime.timedelta(days=7)
    changes = calendrier_fixer(
        cadrage=acc.cadrage, par=acc.groupement, dates={N.SESSION_2: nouvelle}
    )
    assert changes == [f"Session 2 : stratégie : {avant:%d/%m/%Y} → {nouvelle:%d/%m/%Y}"]
    assert etapes_prevues(acc.atelier)[N.SESSION_2].date_prevue == nouvelle
    ligne = Evenement.objects.get(code=CodeCadrage.CALENDRIER_FIXE)
    assert ligne.commentaire == changes[0] and ligne.par == acc.groupement
    assert (
        calendrier_fixer(cadrage=acc.cadrage, par=acc.pilote, dates={N.SESSION_2: nouvelle}) == []
    )


def test_clore_demande_une_reunion_passee_et_son_compte_rendu(acc):
    with pytest.raises(ActionImpossible, match="indiquez la date de la réunion et son compte"):
        cadrage_clore(cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir")
    demain = timezone.now() + datetime.timedelta(days=1)
    cadrage_enregistrer(
        cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir", valeurs=reunion(date=demain)
    )
    with pytest.raises(ActionImpossible, match="n'a pas encore eu lieu"):
        cadrage_clore(cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir")
    assert Atelier.objects.get(pk=acc.atelier.pk).phase == Phase.CADRAGE


def test_clore_le_cadrage_fait_passer_l_atelier_a_la_session_1(
    acc, django_capture_on_commit_callbacks
):
    cadrage_enregistrer(cadrage=acc.cadrage, par=acc.groupement, vu="a_tenir", valeurs=reunion())
    with django_capture_on_commit_callbacks(execute=True):
        cadrage = cadrage_clore(cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir")
    assert cadrage.statut == Cadrage.Statut.CLOS
    assert Atelier.objects.get(pk=acc.atelier.pk).phase == Phase.SESSION_1
    ligne = Evenement.objects.get(code=CodeCadrage.CLOS)
    assert (ligne.phase_avant, ligne.phase_apres) == (Phase.CADRAGE, Phase.SESSION_1)
    destinataires = {m.to[0] for m in mail.outbox}
    assert {acc.pilote.email, acc.porteuse.email, acc.groupement.email} <= destinataires
    assert acc.autre_groupement.email not in destinataires
    with pytest.raises(ActionImpossible):
        cadrage_enregistrer(cadrage=cadrage, par=acc.pilote, vu="clos", valeurs=reunion())
    with pytest.raises(ActionImpossible):
        cadrage_clore(cadrage=cadrage, par=acc.pilote, vu="a_tenir")


def test_la_session_1_ne_s_ouvre_que_par_le_cadrage(acc):
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        atelier_changer_phase(
            atelier=acc.atelier, transition="demarrer_session_1", par=acc.pilote, vu="cadrage"
        )
    assert Atelier.objects.get(pk=acc.atelier.pk).phase == Phase.CADRAGE


ROLES_QUI_LISENT = ["pilote", "porteuse", "groupement", "dgaln"]


@pytest.mark.parametrize("qui", [*ROLES_QUI_LISENT, "dreal", "autre_groupement"])
def test_la_page_du_cadrage_par_role(client, acc, qui):
    client.force_login(getattr(acc, qui))
    url = reverse("ateliers:cadrage", args=[acc.atelier.pk])
    reponse = client.get(url)
    if qui not in ROLES_QUI_LISENT:
        assert reponse.status_code == 404
        return
    texte = reponse.content.decode()
    assert reponse.status_code == 200 and "Calendrier prévisionnel" in texte
    modifier = reverse("ateliers:cadrage_modifier", args=[acc.atelier.pk])
    clore = reverse("ateliers:cadrage_clore", args=[acc.atelier.pk])
    assert (modifier in texte) == (qui in ("pilote", "groupement"))
    assert (clore in texte) == (qui == "pilote")
    statut = client.get(modifier).status_code
    assert statut == (200 if qui in ("pilote", "groupement") else 403)
    assert client.get(clore).status_code == (200 if qui == "pilote" else 403)


def test_la_page_de_l_atelier_mene_au_cadrage(client, acc):
    client.force_login(acc.porteuse)
    texte = client.get(reverse("portail:atelier", args=[acc.atelier.pk])).content.decode()
    assert reverse("ateliers:cadrage", args=[acc.atelier.pk]) in texte


def test_le_formulaire_refuse_une_heure_sans_date_et_garde_la_saisie(client, acc):
    client.force_login(acc.groupement)
    url = reverse("ateliers:cadrage_modifier", args=[acc.atelier.pk])
    reponse = client.post(
        url,
        {"vu": "a_tenir", "heure": "09:30", "lieu": "Mairie de Vitré", "compte_rendu": "Texte"},
    )
    texte = reponse.content.decode()
    assert reponse.status_code == 400 and "Indiquez la date de la réunion." in texte
    assert 'value="Mairie de Vitré"' in texte and "Texte</textarea>" in texte
    reponse = client.post(url, {"vu": "a_tenir", "jour": "2999-01-01", "heure": "09:30"})
    assert reponse.status_code == 400 and "La date doit être comprise entre" in (
        reponse.content.decode()
    )
    jour = timezone.localdate() - datetime.timedelta(days=1)
    reponse = client.post(
        url,
        {"vu": "a_tenir", "jour": jour.isoformat(), "heure": "09:30", "compte_rendu": "Fait."},
        follow=True,
    )
    assert "La réunion de cadrage est enregistrée." in reponse.content.decode()
    cadrage = Cadrage.objects.get(pk=acc.cadrage.pk)
    assert timezone.localtime(cadrage.date).strftime("%H:%M") == "09:30"


def test_le_calendrier_et_la_cloture_par_les_pages(client, acc):
    client.force_login(acc.pilote)
    url = reverse("ateliers:calendrier_fixer", args=[acc.atelier.pk])
    dates = {n: j.date_prevue.isoformat() for n, j in etapes_prevues(acc.atelier).items()}
    reponse = client.post(url, {**dates, N.SESSION_1: "2026-01-01"})
    assert reponse.status_code == 400 and "ne peut pas être prévue avant" in (
        reponse.content.decode()
    )
    reponse = client.post(url, {**dates, N.RESTITUTION: "2027-12-01"}, follow=True)
    assert "1 date(s) modifiée(s)" in reponse.content.decode()
    cadrage_enregistrer(cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir", valeurs=reunion())
    clore = reverse("ateliers:cadrage_clore", args=[acc.atelier.pk])
    assert "Clore le cadrage ?" in client.get(clore).content.decode()
    reponse = client.post(clore, {"vu": "a_tenir"}, follow=True)
    assert "Cadrage clos" in reponse.content.decode()
    assert Atelier.objects.get(pk=acc.atelier.pk).phase == Phase.SESSION_1
    reponse = client.post(clore, {"vu": "a_tenir"}, follow=True)
    assert "Ce cadrage est déjà clos." in reponse.content.decode()


def test_la_page_du_cadrage_coute_autant_de_requetes_avec_10_et_20_lignes_au_journal(client, acc):
    client.force_login(acc.pilote)
    url = reverse("ateliers:cadrage", args=[acc.atelier.pk])

    def compter(n):
        for i in range(n):
            calendrier_fixer(
                cadrage=acc.cadrage,
                par=acc.pilote,
                dates={N.LIVRET: datetime.date(2028, 1, 1) + datetime.timedelta(days=i + n)},
            )
        return nombre_de_requetes(client, url)

    assert compter(10) == compter(20)


def test_a_traiter_dit_au_groupement_puis_au_pilote_ce_que_le_cadrage_attend(client, acc):
    from ateliers.selectors import a_traiter_pks
    from portail.selectors import attentes

    def attendus(user):
        du_cadrage = [a for a in attentes(user) if a.ancre == "accompagnement"]
        return set(a_traiter_pks(du_cadrage).values_list("pk", flat=True))

    enregistrer = "Enregistrer la réunion de cadrage et son compte-rendu"
    assert attendus(acc.groupement) == {acc.atelier.pk} == attendus(acc.pilote)
    assert not attendus(acc.porteuse) and not attendus(acc.autre_groupement)
    client.force_login(acc.groupement)
    texte = client.get(reverse("portail:atelier", args=[acc.atelier.pk])).content.decode()
    assert enregistrer in texte
    cadrage_enregistrer(cadrage=acc.cadrage, par=acc.groupement, vu="a_tenir", valeurs=reunion())
    assert not attendus(acc.groupement)
    assert [a.libelle for a in attentes(acc.pilote) if a.ancre == "accompagnement"] == [
        enregistrer,
        "Clore le cadrage",
    ]
    assert attendus(acc.pilote) == {acc.atelier.pk}
    cadrage_clore(cadrage=acc.cadrage, par=acc.pilote, vu="a_tenir")
    assert not attendus(acc.pilote)
