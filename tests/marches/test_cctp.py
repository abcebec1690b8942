"""The CCTP: built from the deposited note, saved part by part with its version and history,
complete or not, frozen when the consultation is published, rectified before the deadline."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from ateliers.models import Evenement
from ateliers.services import ActionImpossible
from candidatures.models import Candidature
from candidatures.services import partie_enregistrer
from comptes.models import Courriel
from documents.models import Document
from marches.forms.cctp import PartieCctpForm
from marches.models import (
    PARTIES,
    PARTIES_PAR_SLUG,
    CodeCctp,
    CodeMarche,
    Consultation,
    MarcheSubsequent,
    PartieCctp,
)
from marches.models.cctp import erreurs_grille
from marches.selectors import (
    cctp_complet,
    date_limite_lisible,
    parties_du_cctp,
    ressources_de_la_version,
)
from marches.services import (
    ConflitCctp,
    cctp_creer,
    cctp_partie_enregistrer,
    cctp_rectifier,
    marche_publier,
)
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.cctp_outils import limite, marche_depuis_une_note
from tests.marches.factories import (
    ConsultationFactory,
    MarcheFactory,
    TitulaireFactory,
    VersionCctpFactory,
)

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut


@pytest.fixture
def ouvert(accord_cadre):
    """A marché opened from a deposited note, its pilot, and a member of each titulaire."""
    marche, pilote = marche_depuis_une_note()
    membres = [
        UtilisateurFactory(organisations=[t.groupement]) for t in accord_cadre.titularites.all()
    ]
    return marche, pilote, membres


def _partie(marche, slug):
    return PartieCctp.objects.get(marche=marche, slug=slug)


def _enregistrer(marche, slug, par, **valeurs):
    partie = _partie(marche, slug)
    return cctp_partie_enregistrer(
        partie=partie, valeurs=valeurs, version_lue=partie.version, par=par
    )


def _completer(marche, par):
    """Fill what the note could not give: the calendar."""
    _enregistrer(marche, "duree", par, calendrier="Lancement en janvier, restitution en décembre.")


def _publier(marche, pilote, **kwargs):
    marche = MarcheSubsequent.objects.get(pk=marche.pk)
    donnees = {
        "reference_place": "2026-PLACE-0042",
        "publiee_le": timezone.localdate(),
        "date_limite": limite(),
        "consultes": None,
    }
    donnees.update(kwargs)
    return marche_publier(marche=marche, par=pilote, vu=marche.statut, **donnees)


# The draft, from the note


def test_l_ouverture_cree_le_cctp_depuis_la_note_deposee(ouvert):
    marche, pilote, _ = ouvert
    parties = {p.slug: p for p in PartieCctp.objects.filter(marche=marche)}
    assert list(parties) == [p.slug for p in PARTIES]
    assert all(p.version == 0 for p in parties.values())
    objet = parties["objet"].contenu
    assert objet["objet"] == "Habiter la vallée inondable"
    assert (objet["problematique"], objet["enjeux"]) == (
        "Comment habiter la vallée ?",
        "Habitat et crues.",
    )
    assert parties["objectifs"].contenu["objectifs"] == "Une stratégie : Partagée"
    assert "Conservatoire (Association) : Témoin" in parties["acteurs"].contenu["acteurs"]
    assert "Collectivité porteuse" in parties["acteurs"].contenu["maitrise_ouvrage"]
    (document,) = parties["ressources"].contenu["documents"]
    assert (document["titre"], document["date"], document["lien"]) == (
        "PPRI",
        "2024-03-02",
        "https://x.test/",
    )
    assert parties["duree"].contenu["duree_mois"] == 12
    assert parties["prix"].contenu["montant_maximum_ht"] == "100000"
    grille = parties["criteres"].contenu
    assert [(c["libelle"], c["poids"]) for c in grille["criteres"]] == [
        ("Valeur technique", "60"),
        ("Méthodologie", "30"),
        ("Compréhension des enjeux", "15"),
        ("Composition de l'équipe", "15"),
        ("Prix", "40"),
    ]
    assert (grille["formule_prix"], grille["note_maximale"]) == ("proportionnelle", 5)
    assert parties["livrables"].contenu["livret_capitalisation"]
    # Its first history record names who opened the marché.
    assert parties["objet"].history.get().history_user == pilote


def test_le_cctp_lit_la_version_deposee_et_non_le_brouillon_de_la_note(ouvert):
    marche, _, _ = ouvert
    objet = Candidature.objects.get(atelier=marche.atelier).objet
    porteur = UtilisateurFactory(organisations=[marche.atelier.collectivites.get()])
    # The live draft changes after the dépôt (as after a request for compléments): not read.
    Candidature.objects.filter(pk=objet.candidature_id).update(statut="complements_demandes")
    Candidature.objects.filter(pk=objet.candidature_id).update(complements=["objet"])
    partie_enregistrer(
        partie=objet, champs={"enjeux": "Brouillon"}, version_lue=objet.version, par=porteur
    )
    PartieCctp.objects.filter(marche=marche).delete()
    cctp_creer(marche=marche)
    assert _partie(marche, "objet").contenu["enjeux"] == "Habitat et crues."


def test_un_marche_sans_brouillon_se_lit_depuis_la_note_et_les_valeurs_du_programme(accord_cadre):
    marche = MarcheFactory()
    parties = parties_du_cctp(marche)
    assert [p.pk for p in parties] == [None] * len(PARTIES)
    assert parties[0].contenu["objet"] == marche.objet
    assert not cctp_complet(parties)


def test_apres_une_relance_le_brouillon_reste_et_s_amende(ouvert):
    marche, pilote, _ = ouvert
    _enregistrer(marche, "objet", pilote, enjeux="Enjeux amendés.")
    cctp_creer(marche=marche)
    assert _partie(marche, "objet").contenu["enjeux"] == "Enjeux amendés."
    assert PartieCctp.objects.filter(marche=marche).count() == len(PARTIES)


# Completeness and validation


def test_la_completude_compte_les_champs_manquants(ouvert):
    marche, pilote, _ = ouvert
    duree = _partie(marche, "duree")
    assert duree.manquants() == ["calendrier prévisionnel"]
    assert not cctp_complet(parties_du_cctp(marche))
    _completer(marche, pilote)
    assert cctp_complet(parties_du_cctp(marche))
    _enregistrer(marche, "objet", pilote, enjeux="  ")
    assert _partie(marche, "objet").manquants() == ["enjeux"]


def _ligne(libelle, poids, niveau="critere", est_prix=False):
    return {"libelle": libelle, "poids": str(poids), "niveau": niveau, "est_prix": est_prix}


@pytest.mark.parametrize(
    ("lignes", "erreur"),
    [
        ([_ligne("Technique", 70), _ligne("Prix", 40, est_prix=True)], "totalisent 110"),
        (
            [
                _ligne("Technique", 60),
                _ligne("Méthode", 30, "sous_critere"),
                _ligne("Équipe", 20, "sous_critere"),
                _ligne("Prix", 40, est_prix=True),
            ],
            "« Technique » totalisent 50 au lieu de 60",
        ),
        ([_ligne("Technique", 60), _ligne("Délais", 40)], "un seul, est celui du prix"),
        (
            [
                _ligne("Prix", 40, est_prix=True),
                _ligne("Détail", 40, "sous_critere"),
                _ligne("T", 60),
            ],
            "pas de sous-critères",
        ),
        ([_ligne("Méthode", 30, "sous_critere")], "suit le critère qu'il détaille"),
        ([_ligne("Technique", 0), _ligne("Prix", 100, est_prix=True)], "supérieur à 0"),
        ([], "au moins un critère"),
    ],
)
def test_une_grille_qui_ne_tient_pas_dit_pourquoi(lignes, erreur):
    assert any(erreur in e for e in erreurs_grille(lignes)), erreurs_grille(lignes)


def test_la_grille_du_programme_tient_au_centieme():
    lignes = [
        _ligne("Technique", "60.5"),
        _ligne("Méthode", "30.25", "sous_critere"),
        _ligne("Équipe", "30.25", "sous_critere"),
        _ligne("Prix", "39.5", est_prix=True),
    ]
    assert erreurs_grille(lignes) == []


def _formulaire(slug, **donnees):
    return PartieCctpForm({"version": 0, **donnees}, partie=PARTIES_PAR_SLUG[slug])


@pytest.mark.parametrize(
    ("slug", "donnees", "champ", "erreur"),
    [
        ("duree", {"duree_mois": "9"}, "duree_mois", "Au moins 10."),
        ("duree", {"duree_mois": "16"}, "duree_mois", "Au plus 15."),
        ("prix", {"montant_maximum_ht": "0"}, "montant_maximum_ht", "supérieur à 0 €"),
        ("prix", {"montant_maximum_ht": "beaucoup"}, "montant_maximum_ht", "Un montant"),
        ("prestations", {"session_1_jours": "3"}, "session_1_jours", "Au plus 2 jours."),
        ("criteres", {"note_maximale": "0"}, "note_maximale", "Au moins 1."),
    ],
)
def test_les_valeurs_saisies_sont_controlees(slug, donnees, champ, erreur):
    form = _formulaire(slug, **donnees)
    assert not form.is_valid()
    assert erreur in " ".join(form.errors[champ])


def test_les_nombres_se_saisissent_comme_on_les_ecrit():
    form = _formulaire("prix", montant_maximum_ht="98 500,50", modalites_paiement="x")
    assert form.is_valid(), form.errors
    assert form.valeurs()["montant_maximum_ht"] == "98500.5"


def _grille(*lignes):
    donnees = {
        "formule_prix": "proportionnelle",
        "note_maximale": "5",
        "criteres-TOTAL_FORMS": str(len(lignes) + 1),
        "criteres-INITIAL_FORMS": "0",
    }
    for i, (libelle, poids, niveau, est_prix) in enumerate(lignes):
        donnees |= {
            f"criteres-{i}-libelle": libelle,
            f"criteres-{i}-poids": poids,
            f"criteres-{i}-niveau": niveau,
        }
        if est_prix:
            donnees[f"criteres-{i}-est_prix"] = "on"
    donnees[f"criteres-{len(lignes)}-niveau"] = "critere"
    return donnees


def test_le_formulaire_de_la_grille_refuse_des_poids_qui_ne_font_pas_100():
    form = _formulaire(
        "criteres",
        **_grille(("Technique", "70", "critere", False), ("Prix", "40", "critere", True)),
    )
    assert not form.is_valid()
    assert "totalisent 110" in " ".join(form.grille.non_form_errors())
    assert form.nombre_erreurs == 1


def test_le_formulaire_de_la_grille_garde_les_lignes_remplies():
    form = _formulaire(
        "criteres",
        **_grille(
            ("Technique", "60", "critere", False),
            ("Méthode", "60", "sous_critere", False),
            ("Prix", "40", "critere", True),
        ),
    )
    assert form.is_valid(), (form.errors, form.grille.errors, form.grille.non_form_errors())
    assert form.valeurs()["criteres"] == [
        _ligne("Technique", 60),
        _ligne("Méthode", 60, "sous_critere"),
        _ligne("Prix", 40, est_prix=True),
    ]


# Saving a part


def test_chaque_enregistrement_monte_la_version_et_garde_l_historique(ouvert):
    marche, pilote, _ = ouvert
    porteuse = UtilisateurFactory(organisations=[marche.atelier.collectivites.get()])
    _enregistrer(marche, "objet", pilote, enjeux="Un")
    partie = _enregistrer(marche, "objet", porteuse, enjeux="Deux")
    assert (partie.version, partie.modifie_par, partie.contenu["enjeux"]) == (2, porteuse, "Deux")
    assert partie.contenu["problematique"] == "Comment habiter la vallée ?"
    assert [h.history_user for h in partie.history.order_by("-history_id")] == [
        porteuse,
        pilote,
        pilote,
    ]


def test_un_enregistrement_sur_une_version_perimee_ne_change_rien(ouvert):
    marche, pilote, _ = ouvert
    lue = _partie(marche, "objet")
    _enregistrer(marche, "objet", pilote, enjeux="Premier")
    with pytest.raises(ConflitCctp) as conflit:
        cctp_partie_enregistrer(
            partie=lue, valeurs={"enjeux": "Second"}, version_lue=lue.version, par=pilote
        )
    assert conflit.value.actuelle.contenu["enjeux"] == "Premier"
    assert _partie(marche, "objet").contenu["enjeux"] == "Premier"


def test_une_partie_jamais_enregistree_se_cree_a_son_premier_enregistrement(accord_cadre):
    marche = MarcheFactory()
    pilote = UtilisateurFactory(organisations=[marche.atelier.service_pilote])
    (partie,) = [p for p in parties_du_cctp(marche) if p.slug == "duree"]
    partie = cctp_partie_enregistrer(
        partie=partie, valeurs={"calendrier": "2027"}, version_lue=0, par=pilote
    )
    assert (partie.version, partie.contenu["duree_mois"], partie.contenu["calendrier"]) == (
        1,
        12,
        "2027",
    )


def test_qui_redige_le_cctp(ouvert):
    marche, pilote, _ = ouvert
    operateur = OrganisationFactory(operateur=True)
    marche.atelier.operateur = operateur
    marche.atelier.save()
    for redacteur in (
        pilote,
        UtilisateurFactory(organisations=[marche.atelier.collectivites.get()]),
        UtilisateurFactory(organisations=[operateur]),
    ):
        _enregistrer(marche, "objet", redacteur, enjeux=f"Par {redacteur.pk}")
    for refuse in (membre(dgaln=True), membre(), membre(groupement=True)):
        with pytest.raises(PermissionDenied):
            _enregistrer(marche, "objet", refuse, enjeux="Non")


# Publication


def test_la_date_limite_se_lit_a_l_heure_de_paris():
    utc = datetime.datetime(2027, 3, 15, 11, 0, tzinfo=datetime.UTC)
    assert date_limite_lisible(utc) == "15 mars 2027 à 12 h 00"
    assert date_limite_lisible(datetime.datetime(2027, 7, 1, 8, 5, tzinfo=datetime.UTC)) == (
        "1er juillet 2027 à 10 h 05"
    )


def test_le_pilote_publie_la_consultation_et_fige_le_cctp(
    ouvert, accord_cadre, django_capture_on_commit_callbacks
):
    marche, pilote, membres = ouvert
    _completer(marche, pilote)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = _publier(marche, pilote, date_limite=limite(jours=40, heure=12))
    marche.refresh_from_db()
    assert marche.statut == S.EN_CONSULTATION
    assert (consultation.numero, consultation.reference_place) == (1, "2026-PLACE-0042")
    assert set(consultation.consultes.all()) == {
        t.groupement for t in accord_cadre.titularites.all()
    }
    (version,) = consultation.versions_cctp.all()
    assert (version.numero, version.rectificatif, version.note_maximale) == (1, "", 5)
    assert [p["slug"] for p in version.contenu["parties"]] == [p.slug for p in PARTIES]
    assert ressources_de_la_version(version)[0]["titre"] == "PPRI"
    criteres = list(version.criteres.order_by("ordre"))
    assert [(c.libelle, c.poids, c.parent and c.parent.libelle, c.est_prix) for c in criteres] == [
        ("Valeur technique", Decimal(60), None, False),
        ("Méthodologie", Decimal(30), "Valeur technique", False),
        ("Compréhension des enjeux", Decimal(15), "Valeur technique", False),
        ("Composition de l'équipe", Decimal(15), "Valeur technique", False),
        ("Prix", Decimal(40), None, True),
    ]
    document = Document.objects.get(pk=version.document_id)
    assert (document.gabarit, document.statut) == ("pdf/cctp.html", Document.Statut.PRET)
    assert document.nombre_pages >= 2
    with document.fichier.open("rb") as flux:
        texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(flux.read())).pages)
    texte = " ".join(texte.split())
    for attendu in (
        "Habiter la vallée inondable",
        "2026-PLACE-0042",
        "Compréhension des enjeux",
        "100 000 €",
        "notés de 0 à 5",
        "PPRI",
    ):
        assert attendu in texte.replace("\u202f", " "), attendu
    (ligne,) = Evenement.objects.filter(atelier=marche.atelier, code=CodeMarche.PUBLIE)
    assert "2026-PLACE-0042" in ligne.commentaire
    courriels = Courriel.objects.filter(gabarit="consultation_publiee")
    assert {c.destinataire for c in courriels} == {m.email for m in membres}
    attendu = date_limite_lisible(limite(jours=40, heure=12))
    assert attendu in courriels[0].corps
    assert attendu in courriels[0].sujet
    # Once published, the porteurs no longer write it.
    with pytest.raises(PermissionDenied):
        _enregistrer(
            marche,
            "objet",
            UtilisateurFactory(organisations=[marche.atelier.collectivites.get()]),
            enjeux="Trop tard",
        )


def test_une_partie_des_titulaires_seulement_peut_etre_consultee(ouvert, accord_cadre):
    marche, pilote, membres = ouvert
    _completer(marche, pilote)
    premier = accord_cadre.titularites.order_by("pk").first().groupement
    consultation = _publier(marche, pilote, consultes=[premier])
    assert list(consultation.consultes.all()) == [premier]
    assert [c.destinataire for c in Courriel.objects.filter(gabarit="consultation_publiee")] == [
        membres[0].email
    ]


def test_personne_d_autre_que_les_titulaires_n_est_consulte(ouvert):
    marche, pilote, _ = ouvert
    _completer(marche, pilote)
    etranger = TitulaireFactory().groupement  # titulaire of another accord-cadre
    with pytest.raises(ActionImpossible, match="Seuls les titulaires"):
        _publier(marche, pilote, consultes=[etranger])
    with pytest.raises(ActionImpossible, match="au moins un titulaire"):
        _publier(marche, pilote, consultes=[])
    assert not Consultation.objects.exists()


def test_un_cctp_incomplet_ne_se_publie_pas(ouvert):
    marche, pilote, _ = ouvert
    with pytest.raises(ActionImpossible, match="« Durée et calendrier »"):
        _publier(marche, pilote)
    assert MarcheSubsequent.objects.get(pk=marche.pk).statut == S.EN_PREPARATION


# The dates are judged at noon of the day the test runs (computed then, not when the suite is
# collected, which may be the day before), so that « later today » exists whatever the hour:
# at 23:00 Paris time, a deadline at 23:00 today had already passed.
@pytest.mark.parametrize(
    ("donnees", "erreur"),
    [
        (lambda midi: {"publiee_le": midi.date() + datetime.timedelta(days=1)}, "à venir"),
        (
            lambda midi: {"publiee_le": midi.date() - datetime.timedelta(days=3)},
            "précéder l'ouverture",
        ),
        (lambda midi: {"date_limite": midi - datetime.timedelta(hours=1)}, "déjà passée"),
        (
            lambda midi: {"date_limite": midi + datetime.timedelta(hours=11)},
            "suit le jour de publication",
        ),
    ],
)
def test_les_dates_de_la_consultation_se_suivent(ouvert, donnees, erreur, monkeypatch):
    midi = limite(jours=0, heure=12)
    monkeypatch.setattr(timezone, "now", lambda: midi)
    marche, pilote, _ = ouvert
    _completer(marche, pilote)
    with pytest.raises(ActionImpossible, match=erreur):
        _publier(marche, pilote, **donnees(midi))


def test_seul_le_pilote_publie_et_depuis_l_etat_qu_il_a_vu(ouvert, agent_dgaln):
    marche, pilote, _ = ouvert
    _completer(marche, pilote)
    for autre in (
        agent_dgaln,
        UtilisateurFactory(organisations=[marche.atelier.collectivites.get()]),
    ):
        with pytest.raises(PermissionDenied):
            _publier(marche, autre)
    with pytest.raises(ActionImpossible, match="maintenant"):
        marche_publier(
            marche=marche,
            par=pilote,
            vu=S.EN_CONSULTATION,
            reference_place="X",
            publiee_le=timezone.localdate(),
            date_limite=limite(),
        )
    _publier(marche, pilote)
    with pytest.raises(ActionImpossible):
        _publier(marche, pilote)
    assert Consultation.objects.count() == 1


def test_une_nouvelle_consultation_apres_une_relance_prend_les_numeros_suivants(accord_cadre):
    marche = MarcheFactory(accord_cadre=accord_cadre, statut=S.EN_PREPARATION)
    VersionCctpFactory(consultation=ConsultationFactory(marche=marche))
    pilote = UtilisateurFactory(organisations=[marche.atelier.service_pilote])
    cctp_creer(marche=marche)
    for slug, valeurs in {
        "objet": {"problematique": "P", "enjeux": "E"},
        "territoire": {"perimetre": "Le Val", "description": "D"},
        "objectifs": {"objectifs": "O"},
        "acteurs": {"maitrise_ouvrage": "M", "acteurs": "A"},
        "duree": {"calendrier": "C"},
    }.items():
        _enregistrer(marche, slug, pilote, **valeurs)
    marche.ouvert_le = timezone.now() - datetime.timedelta(days=90)
    marche.save(update_fields=["ouvert_le"])
    consultation = _publier(marche, pilote)
    assert consultation.numero == 2
    assert consultation.versions_cctp.get().numero == 2


# Rectificatif


@pytest.fixture
def publie(ouvert):
    marche, pilote, membres = ouvert
    _completer(marche, pilote)
    consultation = _publier(marche, pilote)
    Courriel.objects.all().delete()
    return MarcheSubsequent.objects.get(pk=marche.pk), pilote, membres, consultation


def test_le_pilote_rectifie_le_cctp_avant_la_date_limite(
    publie, django_capture_on_commit_callbacks
):
    marche, pilote, membres, consultation = publie
    _enregistrer(marche, "duree", pilote, duree_mois=14)
    avant = Evenement.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        version = cctp_rectifier(marche=marche, par=pilote, vu=1, objet="La durée passe à 14 mois.")
    assert (version.numero, version.consultation, version.rectificatif) == (
        2,
        consultation,
        "La durée passe à 14 mois.",
    )
    assert consultation.versions_cctp.order_by("-numero").first() == version
    assert version.criteres.count() == 5
    assert Document.objects.get(pk=version.document_id).statut == Document.Statut.PRET
    (ligne,) = Evenement.objects.order_by("pk")[avant:]
    assert (ligne.code, ligne.objet, ligne.commentaire) == (
        CodeCctp.RECTIFIE,
        version,
        "La durée passe à 14 mois.",
    )
    courriels = Courriel.objects.filter(gabarit="cctp_rectifie")
    assert {c.destinataire for c in courriels} == {m.email for m in membres}
    assert "La durée passe à 14 mois." in courriels[0].corps
    assert MarcheSubsequent.objects.get(pk=marche.pk).statut == S.EN_CONSULTATION


def test_un_rectificatif_sans_changement_ou_sur_une_version_perimee_est_refuse(publie):
    marche, pilote, _, _ = publie
    with pytest.raises(ActionImpossible, match="n'a pas changé"):
        cctp_rectifier(marche=marche, par=pilote, vu=1, objet="Rien")
    _enregistrer(marche, "duree", pilote, duree_mois=14)
    with pytest.raises(ActionImpossible, match="entre-temps"):
        cctp_rectifier(marche=marche, par=pilote, vu=0, objet="Durée")
    with pytest.raises(ActionImpossible, match="objet du rectificatif"):
        cctp_rectifier(marche=marche, par=pilote, vu=1, objet="  ")


def test_seul_le_pilote_rectifie_et_avant_la_date_limite(publie):
    marche, pilote, _, consultation = publie
    porteuse = UtilisateurFactory(organisations=[marche.atelier.collectivites.get()])
    _enregistrer(marche, "duree", pilote, duree_mois=14)
    with pytest.raises(PermissionDenied):
        cctp_rectifier(marche=marche, par=porteuse, vu=1, objet="Durée")
    Consultation.objects.filter(pk=consultation.pk).update(
        date_limite=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ActionImpossible, match="est passée"):
        cctp_rectifier(marche=marche, par=pilote, vu=1, objet="Durée")
    # The draft no longer opens either.
    with pytest.raises(PermissionDenied):
        _enregistrer(marche, "duree", pilote, duree_mois=13)
