"""Confidentiality (issue 10 §9) of the consultation and its offers: logged in as each of three
groupements of a marché with three offers, at each state, every page and download of this part
shows nothing of another groupement (name, file, amount, state), and a guessed id answers 404."""

import html

import pytest
from django.urls import reverse

from ateliers.models import Atelier, Phase
from ateliers.selectors import journal_atelier
from comptes.models import Courriel
from marches.models import MarcheSubsequent, MotifRenoncement, Offre
from marches.selectors import journal_visible
from marches.selectors.consultation import CODES_DU_JURY
from marches.services import (
    audition_enregistrer,
    offre_declarer_irreguliere,
    offre_demander_regularisation,
    question_enregistrer,
    renoncement_enregistrer,
)
from tests.marches.test_consultation import (
    consultation_ouverte,
    il_y_a,
    membre_de,
    pilote_de_la,
)
from tests.marches.test_offres import enregistrer

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut
MONTANTS = ("91234", "92345", "93456")
NOMS = ("Paysages Alpha", "Territoires Beta", "Urbanisme Gamma")


def _montant_ecrit(montant):
    """The ways an amount may be written on a page or in an e-mail."""
    return {montant, f"{montant[:2]} {montant[2:]}", f"{montant[:2]}\xa0{montant[2:]}"}


def _marche_a_trois_offres():
    consultation = consultation_ouverte(groupements=4)
    groupements = list(consultation.consultes.order_by("pk"))
    for groupement, nom in zip(groupements, [*NOMS, "Quatrième Delta"], strict=True):
        groupement.nom = nom
        groupement.save()
    pilote = pilote_de_la(consultation)
    membres = [membre_de(g) for g in groupements]
    offres = [
        enregistrer(
            consultation, groupement, par=pilote, montant_ht=montant, nom=nom.split()[1].lower()
        )
        for groupement, montant, nom in zip(groupements, MONTANTS, NOMS, strict=False)
    ]
    # The fourth declines, with its reason; a question is asked and answered.
    renoncement_enregistrer(
        consultation=consultation,
        groupement=groupements[3],
        motif=MotifRenoncement.AUTRE,
        precision="Raison propre à Delta",
        par=membres[3],
    )
    question_enregistrer(
        consultation=consultation,
        question="Les sessions ont-elles lieu sur place ?",
        recue_le=il_y_a(minutes=30),
        reponse="Oui.",
        par=pilote,
    )
    return consultation, groupements[:3], membres[:3], offres, pilote


def _analyser(consultation, offres, pilote):
    MarcheSubsequent.objects.filter(pk=consultation.marche_id).update(statut=S.EN_ANALYSE)
    offre_declarer_irreguliere(
        offre=offres[1], par=pilote, vu=Offre.Statut.RECUE, motif="Motif propre à Beta"
    )
    offre_demander_regularisation(
        offre=offres[2], par=pilote, vu=Offre.Statut.RECUE, motif="Pièce propre à Gamma"
    )
    audition_enregistrer(
        offre=offres[0],
        date=il_y_a(minutes=10),
        participants="Jury",
        compte_rendu="Compte-rendu propre à Alpha",
        par=pilote,
    )


def _notifier(consultation, groupements):
    MarcheSubsequent.objects.filter(pk=consultation.marche_id).update(
        statut=S.NOTIFIE, attributaire=groupements[0]
    )
    Atelier.objects.filter(pk=consultation.marche.atelier_id).update(
        phase=Phase.CADRAGE, groupement=groupements[0]
    )


def _etrangers(rang, offres, etat=""):
    """What groupement `rang` must never read: the other offers' teams, files, amounts and
    reasons, the declining team and its reason, the other teams' audition."""
    interdits = {"Quatrième Delta", "Raison propre à Delta"}
    for autre, offre in enumerate(offres):
        if autre == rang:
            continue
        interdits |= {NOMS[autre], *_montant_ecrit(MONTANTS[autre])}
        interdits |= {
            getattr(offre, champ).nom_original
            for champ in (
                "note_methodologique",
                "presentation_competences",
                "proposition_financiere",
            )
        }
    # The panel's own words (an exclusion's reason, an audition's minutes) stay the panel's;
    # only the regularisation asked of Gamma reaches Gamma.
    interdits |= {"Motif propre à Beta", "Compte-rendu propre à Alpha"}
    if rang == 1 and etat == "notifie":
        # Once notified, Beta reads why its own offer was not ranked: what its letter of
        # rejection tells it (code de la commande publique, R. 2181-3).
        interdits.discard("Motif propre à Beta")
    if rang != 2:
        interdits.add("Pièce propre à Gamma")
    return interdits


def _urls_interdites(consultation, offres):
    marche = consultation.marche
    urls = [
        reverse("marches:marche", args=[marche.pk]),
        reverse("marches:questions", args=[marche.pk]),
        reverse("marches:offre_enregistrer", args=[marche.pk]),
        reverse("marches:clore_consultation", args=[marche.pk]),
    ]
    for offre in offres:
        urls.append(reverse("marches:audition", args=[marche.pk, offre.pk]))
        for transition in ("demander_regularisation", "regulariser", "declarer_irreguliere"):
            urls.append(reverse(f"marches:offre_{transition}", args=[marche.pk, offre.pk]))
    return urls


def _lire(client, url):
    reponse = client.get(url)
    contenu = (
        b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    ).decode(errors="replace")
    return reponse.status_code, html.unescape(contenu)


@pytest.mark.parametrize("etat", ["en_consultation", "en_analyse", "notifie"])
def test_chaque_groupement_ne_lit_que_sa_propre_offre(client, etat):
    consultation, groupements, membres, offres, pilote = _marche_a_trois_offres()
    if etat != "en_consultation":
        _analyser(consultation, offres, pilote)
    if etat == "notifie":
        _notifier(consultation, groupements)
    for rang, user in enumerate(membres):
        client.force_login(user)
        interdits = _etrangers(rang, offres, etat)
        pages = [
            reverse("marches:consultations"),
            reverse("marches:consultation", args=[consultation.pk]),
        ]
        for url in pages:
            code, texte = _lire(client, url)
            assert code == 200, url
            fuites = {mot for mot in interdits if mot in texte}
            assert not fuites, (etat, NOMS[rang], url, fuites)
        # Its own offer is shown to it, and its own pieces download.
        code, texte = _lire(client, reverse("marches:consultation", args=[consultation.pk]))
        assert any(m in texte for m in _montant_ecrit(MONTANTS[rang]))
        for champ in ("note_methodologique", "presentation_competences", "proposition_financiere"):
            for autre, offre in enumerate(offres):
                url = reverse("documents:fichier", args=[getattr(offre, champ).uuid])
                code, _ = _lire(client, url)
                assert code == (200 if autre == rang else 404), (NOMS[rang], url)
        for url in _urls_interdites(consultation, offres):
            code, _ = _lire(client, url)
            assert code == 404, (NOMS[rang], url)
        assert client.get(reverse("marches:renoncements")).status_code == 403
        # What it was e-mailed says nothing of the others either.
        for courriel in Courriel.objects.filter(destinataire=user.email):
            fuites = {mot for mot in interdits if mot in f"{courriel.sujet} {courriel.corps}"}
            assert not fuites, (NOMS[rang], courriel.gabarit, fuites)


def test_une_consultation_devinee_repond_404(client):
    membres = _marche_a_trois_offres()[2]
    autre = consultation_ouverte()
    client.force_login(membres[0])
    for url in (
        reverse("marches:consultation", args=[autre.pk]),
        reverse("marches:renoncer", args=[autre.pk]),
        reverse("marches:consultation", args=[autre.pk + 1000]),
    ):
        assert client.get(url).status_code == 404, url


def test_le_journal_de_l_atelier_tait_les_offres_a_qui_n_est_pas_du_jury(porteuse_de, agent_dgaln):
    """Once notified, the attributaire reads the atelier's history: `journal_visible` (which
    the atelier's page must apply) leaves out the offers' lines and their reasons for it."""
    consultation, groupements, membres, offres, pilote = _marche_a_trois_offres()
    _analyser(consultation, offres, pilote)
    _notifier(consultation, groupements)
    atelier = consultation.marche.atelier
    journal = journal_atelier(atelier)
    codes_offres = set(CODES_DU_JURY)
    assert codes_offres & set(journal.values_list("code", flat=True))
    for user in (pilote, porteuse_de(consultation.marche), agent_dgaln):
        assert journal_visible(journal, user, atelier).count() == journal.count()
    for user in membres:
        visibles = journal_visible(journal, user, atelier)
        assert not codes_offres & set(visibles.values_list("code", flat=True))
        textes = " ".join(f"{e.libelle} {e.commentaire}" for e in visibles)
        assert "propre à" not in textes and not any(n in textes for n in NOMS)
        # What is left is the marché's own story: published, question, closed…
        assert visibles.exists()
