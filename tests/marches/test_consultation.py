"""The consultation round while it runs: questions and answers (never who asked), a team that
declines, the close at the deadline by the periodic task or by the pilot's hand; and what a
consulted groupement reads in « Mes consultations »."""

import datetime
import html
import threading
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Evenement
from ateliers.services import ActionImpossible
from candidatures.models import VersionCandidature
from comptes.models import Courriel
from documents.services import fichier_deposer
from documents.verification import Usage
from marches.models import (
    CodeConsultation,
    CodeMarche,
    MarcheSubsequent,
    MotifRenoncement,
    QuestionConsultation,
    Renoncement,
)
from marches.selectors import temps_restant
from marches.services import (
    consultation_clore,
    consultations_echues_clore,
    question_enregistrer,
    question_repondre,
    renoncement_enregistrer,
)
from marches.tasks import consultations_echues_clore_tache
from tests.candidatures.dossier import lettre_pdf
from tests.candidatures.factories import CandidatureFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents import fichiers_hostiles as h
from tests.marches.factories import (
    ConsultationFactory,
    MarcheFactory,
    TitulaireFactory,
    VersionCctpFactory,
)
from tests.marques import SUR_POSTGRES
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def consultation_ouverte(groupements=3, *, date_limite=None, marche=None, **kwargs):
    """A marché in consultation, its round published two days ago with `groupements`
    titulaires consulted and a first CCTP version."""
    marche = marche or MarcheFactory(statut=S.EN_CONSULTATION, **kwargs)
    consultes = [
        TitulaireFactory(accord_cadre=marche.accord_cadre).groupement for _ in range(groupements)
    ]
    consultation = ConsultationFactory(
        marche=marche,
        consultes=consultes,
        publiee_le=timezone.localdate() - datetime.timedelta(days=2),
        date_limite=date_limite or timezone.now() + datetime.timedelta(days=7),
    )
    VersionCctpFactory(
        consultation=consultation, publiee_le=timezone.now() - datetime.timedelta(days=2)
    )
    return consultation


def membre_de(organisation):
    return UtilisateurFactory(organisations=[organisation])


def pilote_de_la(consultation):
    return membre_de(consultation.marche.atelier.service_pilote)


def piece(nom="piece.pdf", texte="Piece"):
    return h.televerse(nom, lettre_pdf(texte), "application/pdf")


def il_y_a(**delta):
    return timezone.now() - datetime.timedelta(**delta)


# The time left


@pytest.mark.parametrize(
    ("reste", "attendu"),
    [
        (datetime.timedelta(days=3, hours=4, minutes=10), "3 jours et 4 heures"),
        (datetime.timedelta(days=1, minutes=5), "1 jour"),
        (datetime.timedelta(hours=5, minutes=20), "5 heures et 20 minutes"),
        (datetime.timedelta(hours=1), "1 heure"),
        (datetime.timedelta(minutes=12, seconds=30), "12 minutes"),
        (datetime.timedelta(seconds=20), "moins d'une minute"),
        (datetime.timedelta(seconds=-1), ""),
    ],
)
def test_le_temps_restant_se_dit_comme_une_personne(reste, attendu):
    maintenant = datetime.datetime(2026, 2, 3, 9, 0, tzinfo=PARIS)
    assert temps_restant(maintenant + reste, maintenant) == attendu


# Questions and answers


def test_une_question_et_sa_reponse_publiee_prevennent_chaque_groupement_consulte():
    consultation = consultation_ouverte()
    pilote = pilote_de_la(consultation)
    membres = [membre_de(g) for g in consultation.consultes.all()]
    question = question_enregistrer(
        consultation=consultation,
        question="Le diagnostic comprend-il les communes littorales ?",
        recue_le=il_y_a(hours=2),
        par=pilote,
    )
    assert (question.numero, question.reponse_publiee_le) == (1, None)
    assert not Courriel.objects.filter(gabarit="consultation_reponse").exists()
    question_repondre(question=question, reponse="Oui, les douze.", par=pilote)
    question.refresh_from_db()
    assert question.reponse_publiee_le is not None
    destinataires = set(
        Courriel.objects.filter(gabarit="consultation_reponse").values_list(
            "destinataire", flat=True
        )
    )
    assert destinataires == {m.email for m in membres}
    codes = list(Evenement.objects.order_by("pk").values_list("code", flat=True))
    assert codes == [CodeConsultation.QUESTION_ENREGISTREE, CodeConsultation.REPONSE_PUBLIEE]
    with pytest.raises(ActionImpossible, match="déjà publiée"):
        question_repondre(question=question, reponse="Autre", par=pilote)


def test_une_question_enregistree_avec_sa_reponse_est_publiee_aussitot():
    consultation = consultation_ouverte(groupements=2)
    for groupement in consultation.consultes.all():
        membre_de(groupement)
    question = question_enregistrer(
        consultation=consultation,
        question="Quel calendrier ?",
        recue_le=il_y_a(hours=1),
        reponse="Douze mois.",
        par=pilote_de_la(consultation),
    )
    assert question.reponse_publiee_le is not None
    assert Courriel.objects.filter(gabarit="consultation_reponse").count() == 2
    assert Evenement.objects.get().code == CodeConsultation.QUESTION_ENREGISTREE


def test_seul_le_pilote_enregistre_une_question_pendant_la_consultation(porteuse_de, agent_dgaln):
    consultation = consultation_ouverte()
    groupement = membre_de(consultation.consultes.first())
    for user in (porteuse_de(consultation.marche), agent_dgaln, groupement):
        with pytest.raises(PermissionDenied):
            question_enregistrer(
                consultation=consultation, question="?", recue_le=il_y_a(hours=1), par=user
            )
    MarcheSubsequent.objects.filter(pk=consultation.marche_id).update(statut=S.EN_ANALYSE)
    with pytest.raises(ActionImpossible, match="aucune consultation n'est en cours"):
        question_enregistrer(
            consultation=consultation,
            question="?",
            recue_le=il_y_a(hours=1),
            par=pilote_de_la(consultation),
        )
    assert not QuestionConsultation.objects.exists()


# A team declines


def test_un_groupement_consulte_renonce_une_fois_avant_la_date_limite():
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    user = membre_de(groupement)
    pilote = pilote_de_la(consultation)
    renoncement = renoncement_enregistrer(
        consultation=consultation,
        groupement=groupement,
        motif=MotifRenoncement.PLAN_DE_CHARGE,
        precision="Trois ateliers en cours.",
        par=user,
    )
    assert renoncement.motif == MotifRenoncement.PLAN_DE_CHARGE
    courriel = Courriel.objects.get(gabarit="consultation_renoncement")
    assert courriel.destinataire == pilote.email
    ligne = Evenement.objects.get(code=CodeConsultation.RENONCEMENT)
    # Kept out of the atelier's history, which the attributaire reads once notified.
    assert ligne.atelier is None and groupement.nom not in ligne.libelle
    with pytest.raises(ActionImpossible, match="déjà indiqué"):
        renoncement_enregistrer(
            consultation=consultation, groupement=groupement, motif=MotifRenoncement.DELAI, par=user
        )


def test_renoncer_est_refuse_apres_la_date_limite_et_a_qui_n_est_pas_consulte():
    consultation = consultation_ouverte(date_limite=il_y_a(minutes=1))
    groupement = consultation.consultes.first()
    with pytest.raises(ActionImpossible, match="date limite"):
        renoncement_enregistrer(
            consultation=consultation,
            groupement=groupement,
            motif=MotifRenoncement.DELAI,
            par=membre_de(groupement),
        )
    autre = OrganisationFactory(groupement=True)
    with pytest.raises(PermissionDenied):
        renoncement_enregistrer(
            consultation=consultation,
            groupement=autre,
            motif=MotifRenoncement.DELAI,
            par=membre_de(autre),
        )
    # Nor for a groupement that is not the user's.
    with pytest.raises(PermissionDenied):
        renoncement_enregistrer(
            consultation=consultation,
            groupement=groupement,
            motif=MotifRenoncement.DELAI,
            par=membre_de(consultation.consultes.last()),
        )
    assert not Renoncement.objects.exists()


def test_autre_raison_se_precise():
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    with pytest.raises(ActionImpossible, match="Précisez"):
        renoncement_enregistrer(
            consultation=consultation,
            groupement=groupement,
            motif=MotifRenoncement.AUTRE,
            precision=" ",
            par=membre_de(groupement),
        )


# The close at the deadline


def test_la_tache_clot_les_consultations_echues_et_previent_le_pilote():
    echue = consultation_ouverte(date_limite=il_y_a(minutes=3))
    ouverte = consultation_ouverte()
    pilote = pilote_de_la(echue)
    assert consultations_echues_clore_tache.apply().get() == 1
    echue.refresh_from_db()
    ouverte.refresh_from_db()
    echue.marche.refresh_from_db()
    ouverte.marche.refresh_from_db()
    assert (echue.marche.statut, ouverte.marche.statut) == (S.EN_ANALYSE, S.EN_CONSULTATION)
    assert echue.close_le is not None and ouverte.close_le is None
    ligne = Evenement.objects.get(code=CodeMarche.CONSULTATION_CLOSE)
    assert (ligne.par, ligne.objet) == (None, echue.marche)
    assert Courriel.objects.get(gabarit="consultation_close").destinataire == pilote.email


def test_la_cloture_est_idempotente():
    echue = consultation_ouverte(date_limite=il_y_a(minutes=3))
    pilote_de_la(echue)
    assert consultations_echues_clore() == 1
    assert consultations_echues_clore() == 0
    with pytest.raises(ActionImpossible):
        consultation_clore(marche=echue.marche, par=None, vu=S.EN_CONSULTATION)
    assert Evenement.objects.filter(code=CodeMarche.CONSULTATION_CLOSE).count() == 1
    assert Courriel.objects.filter(gabarit="consultation_close").count() == 1


def test_le_pilote_clot_a_la_main_une_fois_l_heure_passee(porteuse_de):
    consultation = consultation_ouverte()
    pilote = pilote_de_la(consultation)
    with pytest.raises(ActionImpossible, match=r"n'est pas passée.*il reste 6 jours et 23 heures"):
        consultation_clore(marche=consultation.marche, par=pilote, vu=S.EN_CONSULTATION)
    consultation.date_limite = il_y_a(seconds=1)
    consultation.save()
    with pytest.raises(PermissionDenied):
        consultation_clore(
            marche=consultation.marche, par=porteuse_de(consultation.marche), vu=S.EN_CONSULTATION
        )
    marche = consultation_clore(marche=consultation.marche, par=pilote, vu=S.EN_CONSULTATION)
    assert marche.statut == S.EN_ANALYSE
    assert Evenement.objects.get(code=CodeMarche.CONSULTATION_CLOSE).par == pilote
    # The task running afterwards finds nothing left to close.
    assert consultations_echues_clore() == 0


def test_la_cloture_verifie_l_etat_vu():
    consultation = consultation_ouverte(date_limite=il_y_a(minutes=1))
    with pytest.raises(ActionImpossible, match="maintenant"):
        consultation_clore(
            marche=consultation.marche, par=pilote_de_la(consultation), vu=S.EN_PREPARATION
        )


# Pages: the pilot's


def test_le_pilote_clot_depuis_la_page_du_marche_et_est_refuse_avant_l_heure(client):
    consultation = consultation_ouverte()
    marche = consultation.marche
    client.force_login(pilote_de_la(consultation))
    url = reverse("marches:clore_consultation", args=[marche.pk])
    page = client.get(reverse("marches:marche", args=[marche.pk]))
    # Before the deadline the page offers no closing; a POST all the same is refused.
    assert url not in page.text
    reponse = client.post(url, {"vu": S.EN_CONSULTATION}, follow=True)
    assert "ne se clôt qu'une fois la date limite passée" in html.unescape(reponse.text)
    marche.refresh_from_db()
    assert marche.statut == S.EN_CONSULTATION
    consultation.date_limite = il_y_a(minutes=1)
    consultation.save()
    assert url in client.get(reverse("marches:marche", args=[marche.pk])).text
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"vu": S.EN_CONSULTATION}, follow=True)
    assert "Remise des offres close" in html.unescape(reponse.text)
    marche.refresh_from_db()
    assert marche.statut == S.EN_ANALYSE


def test_la_cloture_a_la_main_est_refusee_aux_autres(client, porteuse_de, agent_dgaln):
    consultation = consultation_ouverte(date_limite=il_y_a(minutes=1))
    url = reverse("marches:clore_consultation", args=[consultation.marche.pk])
    for user, code in [
        (porteuse_de(consultation.marche), 403),
        (agent_dgaln, 403),
        (membre_de(consultation.consultes.first()), 404),
    ]:
        client.force_login(user)
        assert client.post(url, {"vu": S.EN_CONSULTATION}).status_code == code
    consultation.marche.refresh_from_db()
    assert consultation.marche.statut == S.EN_CONSULTATION


def test_le_pilote_enregistre_une_question_puis_publie_sa_reponse(client, porteuse_de):
    consultation = consultation_ouverte()
    marche = consultation.marche
    url = reverse("marches:questions", args=[marche.pk])
    client.force_login(porteuse_de(marche))
    page = client.get(url)
    assert page.status_code == 200 and "Enregistrer la question" not in page.text
    assert client.post(url, {"question": "x"}).status_code == 403
    client.force_login(pilote_de_la(consultation))
    hier = timezone.localdate() - datetime.timedelta(days=1)
    assert client.post(url, {"question": ""}).status_code == 400
    reponse = client.post(
        url,
        {
            "question": "Les sessions sont-elles sur place ?",
            "recue_date": hier,
            "recue_heure": "10:30",
        },
        follow=True,
    )
    assert "Question n° 1 enregistrée" in html.unescape(reponse.text)
    question = QuestionConsultation.objects.get()
    assert timezone.localtime(question.recue_le).strftime("%H:%M") == "10:30"
    repondre = reverse("marches:repondre", args=[marche.pk, question.pk])
    assert repondre in reponse.text
    assert client.post(repondre, {"reponse": ""}).status_code == 400
    reponse = client.post(repondre, {"reponse": "Oui, trois sessions."}, follow=True)
    assert "Oui, trois sessions." in html.unescape(reponse.text)


# Pages: the groupements'


def _ressource(consultation, titre="Diagnostic du SCOT"):
    """The atelier's deposited note lists one resource, a stored file of the candidature."""
    candidature = CandidatureFactory(atelier=consultation.marche.atelier)
    fichier = fichier_deposer(
        fichier=piece("diagnostic-scot.pdf"),
        par=None,
        proprietaire=candidature,
        usage=Usage.RESSOURCE,
    )
    cache = fichier_deposer(
        fichier=piece("courrier-prefet.pdf"),
        par=None,
        proprietaire=candidature,
        usage=Usage.RESSOURCE,
    )
    VersionCandidature.objects.create(
        candidature=candidature,
        numero=1,
        contenu={
            "titre": "",
            "courriers": [],
            "parties": [
                {
                    "slug": "ressources",
                    "valeurs": {
                        "documents": [
                            {"titre": titre, "type": "etude", "fichier": str(fichier.uuid)},
                            {"titre": "Site", "type": "autre", "lien": "https://exemple.test/"},
                        ]
                    },
                }
            ],
        },
    )
    return fichier, cache


def test_mes_consultations_montre_les_consultations_du_groupement_seulement(client):
    consultation = consultation_ouverte(
        date_limite=timezone.now() + datetime.timedelta(days=3, hours=4, minutes=5)
    )
    autre = consultation_ouverte()
    groupement = consultation.consultes.first()
    client.force_login(membre_de(groupement))
    page = client.get(reverse("marches:consultations"))
    texte = html.unescape(page.text)
    assert consultation.marche.objet in texte and consultation.reference_place in texte
    assert autre.reference_place not in texte
    assert "encore 3 jours et 4 heures" in texte
    assert "1 consultation" in texte
    # The navigation leads there.
    assert f'href="{reverse("marches:consultations")}" aria-current="page">Mes consultations' in (
        page.text
    )
    fermee = client.get(reverse("marches:consultations"), {"etat": "closes"})
    assert "Aucune consultation ne correspond" in html.unescape(fermee.text)


def test_mes_consultations_vide_le_dit(client):
    client.force_login(membre(groupement=True))
    page = client.get(reverse("marches:consultations"))
    assert "Aucune consultation pour le moment" in html.unescape(page.text)


@pytest.mark.parametrize("role", ["ddt", "dgaln", "collectivite"])
def test_mes_consultations_est_celle_des_groupements(client, role):
    traits = {} if role == "collectivite" else {role: True}
    client.force_login(membre(**traits))
    assert client.get(reverse("marches:consultations")).status_code == 403


def test_la_page_d_une_consultation_donne_le_cctp_les_ressources_et_les_reponses(client):
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    fichier, cache = _ressource(consultation)
    pilote = pilote_de_la(consultation)
    question_enregistrer(
        consultation=consultation,
        question="Combien de sessions ?",
        recue_le=il_y_a(hours=3),
        reponse="Trois.",
        par=pilote,
    )
    question_enregistrer(
        consultation=consultation, question="Quel budget ?", recue_le=il_y_a(hours=2), par=pilote
    )
    user = membre_de(groupement)
    client.force_login(user)
    page = client.get(reverse("marches:consultation", args=[consultation.pk]))
    texte = html.unescape(page.text)
    for attendu in [
        "Combien de sessions ?",
        "Trois.",
        "Quel budget ?",
        "Réponse à venir",
        "Diagnostic du SCOT",
        "diagnostic-scot.pdf",
        "CCTP version 1",
        "PDF en préparation",
        "Répondra",
        "Il reste 6 jours",
    ]:
        assert attendu in texte, attendu
    assert "courrier-prefet.pdf" not in texte
    assert pilote.get_full_name() not in texte
    # The resource downloads through marches; the candidature's own route stays closed.
    url = reverse("marches:ressource", args=[consultation.pk, fichier.uuid])
    assert url in page.text
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"].startswith("attachment")
    assert b"".join(reponse.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("documents:fichier", args=[fichier.uuid])).status_code == 404
    # A file of the candidature that the note does not list is not served.
    assert (
        client.get(reverse("marches:ressource", args=[consultation.pk, cache.uuid])).status_code
        == 404
    )


def test_la_ressource_est_refusee_a_un_groupement_non_consulte(client):
    consultation = consultation_ouverte()
    fichier, _ = _ressource(consultation)
    client.force_login(membre(groupement=True))
    url = reverse("marches:ressource", args=[consultation.pk, fichier.uuid])
    assert client.get(url).status_code == 404


def test_page_de_la_consultation_par_role(client, porteuse_de, agent_dgaln):
    consultation = consultation_ouverte()
    url = reverse("marches:consultation", args=[consultation.pk])
    for user, code in [
        (membre_de(consultation.consultes.first()), 200),
        (membre(groupement=True), 404),
        # The panel and DGALN read the round on the marché's page, not here.
        (pilote_de_la(consultation), 404),
        (porteuse_de(consultation.marche), 404),
        (agent_dgaln, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == code, user


def test_le_groupement_indique_qu_il_ne_repondra_pas_depuis_sa_page(client):
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    client.force_login(membre_de(groupement))
    url = reverse("marches:renoncer", args=[consultation.pk])
    page = client.get(reverse("marches:consultation", args=[consultation.pk]))
    assert url in page.text
    assert client.post(url, {"groupement": groupement.pk, "motif": "autre"}).status_code == 400
    reponse = client.post(
        url, {"groupement": groupement.pk, "motif": "delai", "precision": ""}, follow=True
    )
    texte = html.unescape(reponse.text)
    assert "le service pilote sait que votre groupement ne répondra pas" in texte
    assert "Ne répond pas" in texte and url not in reponse.text
    # Another consulted groupement is not told.
    client.force_login(membre_de(consultation.consultes.last()))
    texte = html.unescape(client.get(reverse("marches:consultation", args=[consultation.pk])).text)
    assert "Ne répond pas" not in texte and groupement.nom not in texte


def test_les_renoncements_sur_la_page_du_marche_et_pour_la_dgaln(client, porteuse_de, agent_dgaln):
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    renoncement_enregistrer(
        consultation=consultation,
        groupement=groupement,
        motif=MotifRenoncement.MONTANT,
        precision="Trop peu pour trois sessions.",
        par=membre_de(groupement),
    )
    url = reverse("marches:marche", args=[consultation.marche.pk])
    client.force_login(pilote_de_la(consultation))
    assert "Trop peu pour trois sessions." in html.unescape(client.get(url).text)
    client.force_login(porteuse_de(consultation.marche))
    assert "Trop peu pour trois sessions." not in html.unescape(client.get(url).text)
    client.force_login(agent_dgaln)
    assert "Trop peu pour trois sessions." in html.unescape(client.get(url).text)
    liste = client.get(reverse("marches:renoncements"), {"motif": "montant"})
    assert "Trop peu pour trois sessions." in html.unescape(liste.text)
    liste = client.get(reverse("marches:renoncements"), {"motif": "delai"})
    assert "Aucun renoncement ne correspond" in html.unescape(liste.text)
    annee = timezone.now().year
    liste = client.get(reverse("marches:renoncements"), {"annee": annee})
    assert "1 renoncement" in html.unescape(liste.text)
    client.force_login(pilote_de_la(consultation))
    assert client.get(reverse("marches:renoncements")).status_code == 403


def _consultations_pour(groupement, n):
    for _ in range(n):
        marche = MarcheFactory(statut=S.EN_CONSULTATION)
        consultation = ConsultationFactory(marche=marche, consultes=[groupement])
        VersionCctpFactory(consultation=consultation)
        question_enregistrer(
            consultation=consultation,
            question="?",
            recue_le=il_y_a(minutes=5),
            par=membre_de(marche.atelier.service_pilote),
        )


def test_mes_consultations_en_requetes_constantes(client):
    groupement = OrganisationFactory(groupement=True)
    client.force_login(membre_de(groupement))
    url = reverse("marches:consultations")
    _consultations_pour(groupement, 3)
    avant = nombre_de_requetes(client, url)
    _consultations_pour(groupement, 3)
    assert nombre_de_requetes(client, url) == avant
    assert "6 consultations" in html.unescape(client.get(url).text)


def _deux_taches_en_meme_temps():
    """Run the periodic close twice at the same instant, each in its own connection; each
    run's count of closed rounds."""
    depart = threading.Barrier(2)
    closes = []

    def clore():
        depart.wait()
        try:
            closes.append(consultations_echues_clore())
        finally:
            connection.close()

    fils = [threading.Thread(target=clore) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=30)
    return sorted(closes)


@pytest.mark.django_db(transaction=True)
@SUR_POSTGRES[0]
@SUR_POSTGRES[1]
def test_deux_clotures_en_meme_temps_une_seule_ligne():
    """Two runs of the periodic task at the same instant: with real row locks, one closes the
    round, the other finds it closed; one journal line, one e-mail to the pilot, each time."""
    for _ in range(5):
        echue = consultation_ouverte(date_limite=il_y_a(minutes=1))
        pilote = pilote_de_la(echue)
        assert _deux_taches_en_meme_temps() == [0, 1]
        lignes = Evenement.objects.filter(
            code=CodeMarche.CONSULTATION_CLOSE, objet_id=str(echue.marche_id)
        )
        assert lignes.count() == 1
        courriels = Courriel.objects.filter(gabarit="consultation_close", destinataire=pilote.email)
        assert courriels.count() == 1
