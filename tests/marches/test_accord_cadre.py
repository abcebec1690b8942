"""The accord-cadre kept by DGALN and the admins: its record, titulaires and versioned
documents, each through a journalled service; the State services read it, the collectivités and
groupements do not; the pilots download its documents from their marché."""

import datetime
import html
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Evenement
from ateliers.services import ActionImpossible
from comptes.models import Courriel, MembreGroupement
from documents.models import FichierDepose
from marches.models import AccordCadre, DocumentAccordCadre, MarcheSubsequent, TitulaireAccordCadre
from marches.services import (
    accord_cadre_enregistrer,
    document_accord_cadre_deposer,
    titulaire_ajouter,
    titulaire_retirer,
)
from marches.services.accord_cadre import CodeAccordCadre
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents import fichiers_hostiles as h
from tests.marches.factories import (
    AccordCadreFactory,
    ConsultationFactory,
    MarcheFactory,
    TitulaireFactory,
)
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut
SIRET = "11000990000017"  # fictional, with a valid check key


def _pdf(texte="CCP"):
    return h.televerse(
        f"{texte}.pdf",
        h.pdf_une_page(zlib.compress(b"BT /F1 12 Tf 72 770 Td (%s) Tj ET" % texte.encode())),
        "application/pdf",
    )


def _champs(acheteur, **autres):
    return {
        "reference": "DHUP-AD1-2030",
        "intitule": "Accompagnement des ateliers",
        "acheteur": acheteur,
        "siret_acheteur": SIRET,
        "date_debut": datetime.date(2030, 1, 1),
        "date_fin": datetime.date(2033, 12, 31),
        "procedure": "Appel d'offres ouvert",
        "code_cpv": "71410000",
        "ccag": "Prestations intellectuelles",
        **autres,
    }


@pytest.fixture
def dgaln_org():
    return OrganisationFactory(dgaln=True)


@pytest.fixture
def agent(dgaln_org):
    return UtilisateurFactory(organisations=[dgaln_org])


@pytest.fixture
def accord(dgaln_org):
    return AccordCadreFactory(acheteur=dgaln_org, siret_acheteur=SIRET)


@pytest.fixture
def roles(agent):
    """One user per role that meets the accord-cadre."""
    return {
        "dgaln": agent,
        "staff": UtilisateurFactory(is_staff=True),
        "pilote": membre(ddt=True),
        "collectivite": membre(),
        "groupement": membre(groupement=True),
    }


def _lignes(code):
    return list(Evenement.objects.filter(code=code).order_by("pk"))


# The services


def test_la_dgaln_enregistre_un_accord_cadre_journalise_sans_atelier(agent, dgaln_org):
    accord = accord_cadre_enregistrer(par=agent, **_champs(dgaln_org))
    assert (accord.reference, accord.code_cpv, accord.statut) == (
        "DHUP-AD1-2030",
        "71410000",
        AccordCadre.Statut.A_VENIR,
    )
    (ligne,) = _lignes(CodeAccordCadre.ENREGISTRE)
    assert (ligne.atelier, ligne.objet, ligne.par) == (None, accord, agent)
    assert ligne.commentaire == "Du 1er janvier 2030 au 31 décembre 2033"


def test_une_correction_dit_les_champs_modifies_et_rien_si_rien_ne_change(agent, dgaln_org):
    accord = accord_cadre_enregistrer(par=agent, **_champs(dgaln_org))
    accord_cadre_enregistrer(
        par=agent, accord_cadre=accord, **_champs(dgaln_org, intitule="Nouvel intitulé")
    )
    (ligne,) = _lignes(CodeAccordCadre.MODIFIE)
    assert ligne.commentaire == "Champs modifiés : intitulé"
    accord_cadre_enregistrer(
        par=agent, accord_cadre=accord, **_champs(dgaln_org, intitule="Nouvel intitulé")
    )
    assert len(_lignes(CodeAccordCadre.MODIFIE)) == 1
    accord.refresh_from_db()
    assert accord.intitule == "Nouvel intitulé"


def test_l_administration_tient_aussi_les_accords_cadres(dgaln_org):
    staff = UtilisateurFactory(is_staff=True)
    assert accord_cadre_enregistrer(par=staff, **_champs(dgaln_org)).pk


@pytest.mark.parametrize("qui", ["pilote", "collectivite", "groupement"])
def test_les_autres_roles_ne_tiennent_pas_les_accords_cadres(roles, qui, dgaln_org, accord):
    par = roles[qui]
    with pytest.raises(PermissionDenied):
        accord_cadre_enregistrer(par=par, **_champs(dgaln_org))
    with pytest.raises(PermissionDenied):
        titulaire_ajouter(
            accord_cadre=accord,
            groupement=OrganisationFactory(groupement=True),
            date_notification=accord.date_debut,
            type_groupement="Conjoint",
            siret_mandataire="",
            par=par,
        )
    with pytest.raises(PermissionDenied):
        titulaire_retirer(titulaire=TitulaireFactory(accord_cadre=accord), par=par)
    with pytest.raises(PermissionDenied):
        document_accord_cadre_deposer(
            accord_cadre=accord, type_document="ccp", titre="CCP", fichier=_pdf(), par=par
        )
    assert AccordCadre.objects.count() == 1
    assert not Evenement.objects.exists()


def test_l_acheteur_est_la_dgaln_et_les_dates_se_suivent(agent, dgaln_org):
    with pytest.raises(ActionImpossible, match="L'acheteur d'un accord-cadre est la DGALN"):
        accord_cadre_enregistrer(par=agent, **_champs(OrganisationFactory(ddt=True)))
    with pytest.raises(ValidationError):
        accord_cadre_enregistrer(
            par=agent, **_champs(dgaln_org, date_fin=datetime.date(2029, 12, 31))
        )
    with pytest.raises(ValidationError):
        accord_cadre_enregistrer(par=agent, **_champs(dgaln_org, siret_acheteur="123"))
    assert not AccordCadre.objects.exists() and not Evenement.objects.exists()


def test_les_dates_corrigees_couvrent_encore_l_ouverture_de_ses_marches(agent, accord):
    marche = MarcheFactory(accord_cadre=accord)
    champs = _champs(
        accord.acheteur,
        reference=accord.reference,
        date_debut=timezone.localdate() + datetime.timedelta(days=1),
        date_fin=timezone.localdate() + datetime.timedelta(days=400),
    )
    with pytest.raises(ActionImpossible, match=f"{marche.reference} a été ouvert le"):
        accord_cadre_enregistrer(par=agent, accord_cadre=accord, **champs)


def test_un_groupement_devient_titulaire_avec_sa_date_de_notification(agent, accord):
    groupement = OrganisationFactory(groupement=True, nom="Groupement Alpha")
    titulaire = titulaire_ajouter(
        accord_cadre=accord,
        groupement=groupement,
        date_notification=accord.date_debut,
        type_groupement="Solidaire",
        siret_mandataire="90000001000018",
        par=agent,
    )
    assert list(accord.titulaires.all()) == [groupement]
    assert (titulaire.type_groupement, titulaire.siret_mandataire) == (
        "Solidaire",
        "90000001000018",
    )
    (ligne,) = _lignes(CodeAccordCadre.TITULAIRE_AJOUTE)
    assert (ligne.atelier, ligne.objet, ligne.libelle) == (
        None,
        accord,
        "Titulaire ajouté : Groupement Alpha",
    )


def test_seul_un_groupement_est_titulaire_et_une_seule_fois(agent, accord):
    def ajouter(organisation, le=accord.date_debut):
        return titulaire_ajouter(
            accord_cadre=accord,
            groupement=organisation,
            date_notification=le,
            type_groupement="Conjoint",
            siret_mandataire="",
            par=agent,
        )

    with pytest.raises(ActionImpossible, match="n'est pas un groupement"):
        ajouter(OrganisationFactory(ddt=True))
    groupement = OrganisationFactory(groupement=True)
    ajouter(groupement)
    with pytest.raises(ActionImpossible, match="déjà titulaire"):
        ajouter(groupement)
    with pytest.raises(ActionImpossible, match="un titulaire est notifié avant"):
        ajouter(OrganisationFactory(groupement=True), accord.date_fin + datetime.timedelta(days=1))
    assert accord.titularites.count() == 1
    assert len(_lignes(CodeAccordCadre.TITULAIRE_AJOUTE)) == 1


def test_un_titulaire_se_retire_tant_qu_il_n_a_pas_ete_consulte(agent, accord):
    titulaire = TitulaireFactory(accord_cadre=accord)
    titulaire_retirer(titulaire=titulaire, par=agent)
    assert not accord.titularites.exists()
    (ligne,) = _lignes(CodeAccordCadre.TITULAIRE_RETIRE)
    assert (ligne.atelier, ligne.objet) == (None, accord)
    assert ligne.libelle == f"Titulaire retiré : {titulaire.groupement.nom}"


def test_un_titulaire_consulte_ne_se_retire_pas(agent, accord):
    titulaire = TitulaireFactory(accord_cadre=accord)
    consultation = ConsultationFactory(
        marche=MarcheFactory(accord_cadre=accord, statut=S.EN_CONSULTATION),
        consultes=[titulaire.groupement],
    )
    with pytest.raises(ActionImpossible) as refus:
        titulaire_retirer(titulaire=titulaire, par=agent)
    assert str(refus.value) == (
        f"« {titulaire.groupement.nom} » ne peut pas être retiré de l'accord-cadre : il a été "
        f"consulté pour le marché subséquent {consultation.marche.reference}, dont le dossier "
        "le nomme."
    )
    assert accord.titularites.filter(pk=titulaire.pk).exists()
    # Consulted under another accord-cadre does not hold it.
    autre = TitulaireFactory(accord_cadre=accord)
    ConsultationFactory(consultes=[autre.groupement])
    titulaire_retirer(titulaire=autre, par=agent)
    assert not accord.titularites.filter(pk=autre.pk).exists()


def test_un_document_se_depose_en_versions_qui_restent(agent, accord):
    premier = document_accord_cadre_deposer(
        accord_cadre=accord, type_document="ccp", titre="CCP", fichier=_pdf(), par=agent
    )
    second = document_accord_cadre_deposer(
        accord_cadre=accord, type_document="ccp", titre=" CCP ", fichier=_pdf("CCP2"), par=agent
    )
    autre = document_accord_cadre_deposer(
        accord_cadre=accord,
        type_document="bordereau_prix",
        titre="Bordereaux des prix",
        fichier=h.televerse("bpu.xlsx", h.xlsx()),
        par=agent,
    )
    assert [(d.titre, d.version) for d in (premier, second, autre)] == [
        ("CCP", 1),
        ("CCP", 2),
        ("Bordereaux des prix", 1),
    ]
    for document in (premier, second, autre):
        fichier = FichierDepose.objects.get(pk=document.fichier_id)
        assert fichier.proprietaire == document and fichier.retire_le is None
    lignes = _lignes(CodeAccordCadre.DOCUMENT_DEPOSE)
    assert [ligne.libelle for ligne in lignes] == [
        "Document déposé : CCP, version 1",
        "Document déposé : CCP, version 2",
        "Document déposé : Bordereaux des prix, version 1",
    ]
    assert all(ligne.atelier is None for ligne in lignes)


def test_un_document_refuse_garde_l_accord_cadre_tel_quel(agent, accord):
    with pytest.raises(ValidationError):
        document_accord_cadre_deposer(
            accord_cadre=accord,
            type_document="ccp",
            titre="CCP",
            fichier=h.televerse("ccp.pdf", b"pas un PDF", "application/pdf"),
            par=agent,
        )
    with pytest.raises(ValidationError):
        document_accord_cadre_deposer(
            accord_cadre=accord, type_document="ccp", titre="  ", fichier=_pdf(), par=agent
        )
    assert not DocumentAccordCadre.objects.exists() and not Evenement.objects.exists()


def test_les_pilotes_des_marches_en_cours_sont_prevenus_d_un_nouveau_document(agent, accord):
    en_cours = MarcheFactory(accord_cadre=accord, statut=S.EN_CONSULTATION)
    pilote = UtilisateurFactory(organisations=[en_cours.atelier.service_pilote])
    notifie = MarcheFactory(accord_cadre=accord, statut=S.NOTIFIE)
    pilote_notifie = UtilisateurFactory(organisations=[notifie.atelier.service_pilote])
    document_accord_cadre_deposer(
        accord_cadre=accord, type_document="ccp", titre="CCP", fichier=_pdf(), par=agent
    )
    destinataires = set(
        Courriel.objects.filter(gabarit="accord_document_depose").values_list(
            "destinataire", flat=True
        )
    )
    assert destinataires == {pilote.email}
    assert pilote_notifie.email not in destinataires
    courriel = Courriel.objects.get(destinataire=pilote.email)
    assert courriel.sujet == f"Accord-cadre {accord.reference} : CCP, version 1"
    assert reverse("marches:accord_cadre", args=[accord.pk]) in courriel.corps


# The download of its documents, from the marché's page


def test_le_pilote_telecharge_les_documents_depuis_son_marche_pas_la_collectivite(
    client, agent, accord, pilote_de, porteuse_de
):
    marche = MarcheFactory(accord_cadre=accord)
    ancien = document_accord_cadre_deposer(
        accord_cadre=accord, type_document="ccp", titre="CCP", fichier=_pdf(), par=agent
    )
    actuel = document_accord_cadre_deposer(
        accord_cadre=accord, type_document="ccp", titre="CCP", fichier=_pdf("CCP2"), par=agent
    )
    page_url = reverse("marches:marche", args=[marche.pk])

    client.force_login(pilote_de(marche))
    page = client.get(page_url)
    assert [d.pk for d in page.context["documents_accord_cadre"]] == [actuel.pk]
    lien = reverse("documents:fichier", args=[actuel.fichier.uuid])
    assert lien in page.text
    assert _telecharger(client, lien).startswith(b"%PDF")
    # The earlier version stays downloadable from the accord-cadre's page.
    assert _telecharger(client, reverse("documents:fichier", args=[ancien.fichier.uuid]))

    client.force_login(porteuse_de(marche))
    page = client.get(page_url)
    assert page.status_code == 200 and lien not in page.text
    assert client.get(lien).status_code == 404

    titulaire = TitulaireFactory(accord_cadre=accord)
    client.force_login(UtilisateurFactory(organisations=[titulaire.groupement]))
    assert _telecharger(client, lien).startswith(b"%PDF")
    client.force_login(membre(groupement=True))
    assert client.get(lien).status_code == 404


def _telecharger(client, lien):
    reponse = client.get(lien)
    assert reponse.status_code == 200
    return b"".join(reponse.streaming_content)


# The pages, by role


@pytest.mark.parametrize(
    ("qui", "statut"),
    [("dgaln", 200), ("staff", 200), ("pilote", 200), ("collectivite", 403), ("groupement", 403)],
)
def test_la_liste_et_la_fiche_se_lisent_par_la_dgaln_et_les_services_de_l_etat(
    client, roles, accord, qui, statut
):
    client.force_login(roles[qui])
    liste = client.get(reverse("marches:accords_cadres"))
    fiche = client.get(reverse("marches:accord_cadre", args=[accord.pk]))
    assert (liste.status_code, fiche.status_code) == (statut, statut)
    if statut == 200:
        assert accord.reference in liste.text and accord.intitule in fiche.text
        gerer = qui != "pilote"
        assert (reverse("marches:accord_cadre_creer") in liste.text) is gerer
        assert (reverse("marches:titulaire_ajouter", args=[accord.pk]) in fiche.text) is gerer
        assert ("Déposer le document" in fiche.text) is gerer
        assert (reverse("marches:accord_cadre_modifier", args=[accord.pk]) in fiche.text) is gerer


def test_un_visiteur_anonyme_est_envoye_a_la_connexion(client, accord):
    for url in (
        reverse("marches:accords_cadres"),
        reverse("marches:accord_cadre", args=[accord.pk]),
        reverse("marches:accord_cadre_creer"),
    ):
        reponse = client.get(url)
        assert reponse.status_code == 302 and reverse("comptes:connexion") in reponse.url


def test_un_accord_cadre_inconnu_repond_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("marches:accord_cadre", args=[999])).status_code == 404
    assert client.get(reverse("marches:accord_cadre_modifier", args=[999])).status_code == 404


@pytest.mark.parametrize("qui", ["pilote", "collectivite", "groupement"])
def test_les_ecritures_sont_refusees_hors_dgaln_et_administration(
    client, roles, accord, qui, dgaln_org
):
    titulaire = TitulaireFactory(accord_cadre=accord)
    client.force_login(roles[qui])
    for url, donnees in [
        (reverse("marches:accord_cadre_creer"), _post(dgaln_org)),
        (reverse("marches:accord_cadre_modifier", args=[accord.pk]), _post(dgaln_org)),
        (reverse("marches:titulaire_ajouter", args=[accord.pk]), {}),
        (reverse("marches:titulaire_retirer", args=[titulaire.pk]), {}),
        (reverse("marches:document_accord_cadre_deposer", args=[accord.pk]), {}),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, donnees).status_code == 403
    assert AccordCadre.objects.count() == 1 and accord.titularites.count() == 1
    assert not Evenement.objects.exists()


def _post(acheteur, **autres):
    champs = _champs(acheteur, **autres)
    champs["acheteur"] = acheteur.pk
    return {
        k: str(v) if not isinstance(v, datetime.date) else v.isoformat() for k, v in champs.items()
    }


def test_la_dgaln_enregistre_puis_corrige_un_accord_cadre_par_son_formulaire(
    client, agent, dgaln_org
):
    client.force_login(agent)
    page = client.get(reverse("marches:accord_cadre_creer"))
    assert page.status_code == 200
    assert page.context["form"]["code_cpv"].value() == "71410000"
    assert page.context["form"]["acheteur"].value() == dgaln_org.pk
    reponse = client.post(reverse("marches:accord_cadre_creer"), _post(dgaln_org), follow=True)
    accord = AccordCadre.objects.get()
    assert reponse.redirect_chain[-1][0] == reverse("marches:accord_cadre", args=[accord.pk])
    assert "Accord-cadre DHUP-AD1-2030 enregistré" in reponse.text
    assert "À venir" in reponse.text

    modifier = reverse("marches:accord_cadre_modifier", args=[accord.pk])
    assert client.get(modifier).context["form"]["reference"].value() == "DHUP-AD1-2030"
    reponse = client.post(
        modifier, _post(dgaln_org, date_debut=datetime.date(2020, 1, 1)), follow=True
    )
    assert "Accord-cadre DHUP-AD1-2030 modifié." in reponse.text
    accord.refresh_from_db()
    assert accord.date_debut == datetime.date(2020, 1, 1)
    assert accord.statut == AccordCadre.Statut.EN_COURS
    assert [e.code for e in Evenement.objects.order_by("pk")] == [
        CodeAccordCadre.ENREGISTRE,
        CodeAccordCadre.MODIFIE,
    ]


def test_le_formulaire_dit_ses_erreurs_sous_les_champs(client, agent, dgaln_org, accord):
    client.force_login(agent)
    reponse = client.post(
        reverse("marches:accord_cadre_creer"),
        _post(
            dgaln_org,
            siret_acheteur="11000990000018",
            date_fin=datetime.date(2029, 1, 1),
            reference=accord.reference,
        ),
    )
    assert reponse.status_code == 400
    erreurs = reponse.context["form"].errors
    assert "clé de contrôle" in erreurs["siret_acheteur"][0]
    assert erreurs["date_fin"] == ["La fin de l'accord-cadre suit son début."]
    # The unique reference, checked by the service's full_clean, lands under its field.
    reponse = client.post(
        reverse("marches:accord_cadre_creer"), _post(dgaln_org, reference=accord.reference)
    )
    assert reponse.status_code == 400
    assert "reference" in reponse.context["form"].errors
    assert AccordCadre.objects.count() == 1


def test_la_fiche_montre_les_titulaires_leurs_membres_et_leurs_dates(client, roles, accord):
    titulaire = TitulaireFactory(
        accord_cadre=accord,
        groupement=OrganisationFactory(groupement=True, nom="Groupement Alpha"),
        date_notification=datetime.date(2024, 3, 5),
        siret_mandataire="90000001000018",
    )
    MembreGroupement.objects.create(
        groupement=titulaire.groupement,
        nom="Alpha Urba",
        role="mandataire",
        competences="urbanisme",
    )
    MembreGroupement.objects.create(
        groupement=titulaire.groupement,
        nom="Beta Paysage",
        role="co_traitant",
        competences="paysage",
        ordre=1,
    )
    client.force_login(roles["pilote"])
    page = client.get(reverse("marches:accord_cadre", args=[accord.pk])).text
    assert "Groupement Alpha" in page
    assert "Notifié le 5 mars 2024 — groupement conjoint — SIRET du mandataire 90000001000018" in (
        page
    )
    assert page.index("Mandataire : Alpha Urba") < page.index("Co-traitant : Beta Paysage")
    assert "(paysage)" in page
    assert reverse("marches:titulaire_retirer", args=[titulaire.pk]) not in page


def test_la_dgaln_ajoute_un_titulaire_parmi_les_groupements(client, agent, accord):
    deja = TitulaireFactory(accord_cadre=accord)
    groupement = OrganisationFactory(groupement=True)
    OrganisationFactory(ddt=True, nom="DDT hors liste")
    client.force_login(agent)
    page = client.get(reverse("marches:accord_cadre", args=[accord.pk]))
    choix = list(page.context["form_titulaire"].fields["groupement"].queryset)
    assert choix == [groupement] and deja.groupement not in choix
    url = reverse("marches:titulaire_ajouter", args=[accord.pk])
    refus = client.post(url, {"titulaire-groupement": deja.groupement.pk})
    assert refus.status_code == 400
    assert "groupement" in refus.context["form_titulaire"].errors
    reponse = client.post(
        url,
        {
            "titulaire-groupement": groupement.pk,
            "titulaire-date_notification": accord.date_debut.isoformat(),
            "titulaire-type_groupement": "Conjoint",
            "titulaire-siret_mandataire": "",
        },
        follow=True,
    )
    assert reponse.redirect_chain[-1][0].endswith("#titulaires")
    assert f"« {groupement.nom} » est titulaire de l'accord-cadre" in html.unescape(reponse.text)
    assert accord.titularites.filter(groupement=groupement).exists()


def test_la_dgaln_retire_un_titulaire_apres_confirmation(client, agent, accord):
    titulaire = TitulaireFactory(accord_cadre=accord)
    consulte = TitulaireFactory(accord_cadre=accord)
    ConsultationFactory(marche=MarcheFactory(accord_cadre=accord), consultes=[consulte.groupement])
    client.force_login(agent)
    url = reverse("marches:titulaire_retirer", args=[titulaire.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "ne sera plus consulté" in confirmation.text
    reponse = client.post(url, follow=True)
    assert f"« {titulaire.groupement.nom} » n'est plus titulaire" in html.unescape(reponse.text)
    assert not TitulaireAccordCadre.objects.filter(pk=titulaire.pk).exists()
    reponse = client.post(reverse("marches:titulaire_retirer", args=[consulte.pk]), follow=True)
    assert "ne peut pas être retiré de l'accord-cadre : il a été consulté" in html.unescape(
        reponse.text
    )
    assert TitulaireAccordCadre.objects.filter(pk=consulte.pk).exists()
    assert client.post(url).status_code == 404


def test_la_dgaln_depose_un_document_et_voit_ses_versions(client, agent, accord):
    client.force_login(agent)
    url = reverse("marches:document_accord_cadre_deposer", args=[accord.pk])
    for nom in ("CCP", "CCP2"):
        reponse = client.post(
            url,
            {
                "document-type_document": "ccp",
                "document-titre": "CCP",
                "document-fichier": _pdf(nom),
            },
            follow=True,
        )
    assert "« CCP » déposé (version 2)" in reponse.text
    page = reponse.context
    (document,) = page["documents"]
    assert (document.actuel.version, [a.version for a in document.anciennes]) == (2, [1])
    assert "Versions précédentes (1)" in reponse.text
    refus = client.post(
        url,
        {
            "document-type_document": "ccp",
            "document-titre": "CCP",
            "document-fichier": h.televerse("photo.png", h.png(), "image/png"),
        },
    )
    assert refus.status_code == 400
    assert "fichier" in refus.context["form_document"].errors
    assert DocumentAccordCadre.objects.count() == 2


# Filters, count, empty state


def test_la_liste_se_filtre_par_etat_et_par_annee(client, agent, dgaln_org):
    aujourd_hui = timezone.localdate()
    echu = AccordCadreFactory(
        acheteur=dgaln_org,
        reference="AC-ECHU",
        date_debut=datetime.date(2019, 11, 1),
        date_fin=datetime.date(2023, 10, 31),
    )
    en_cours = AccordCadreFactory(acheteur=dgaln_org, reference="AC-EN-COURS")
    a_venir = AccordCadreFactory(
        acheteur=dgaln_org,
        reference="AC-A-VENIR",
        date_debut=aujourd_hui + datetime.timedelta(days=800),
        date_fin=aujourd_hui + datetime.timedelta(days=1500),
    )
    TitulaireFactory(accord_cadre=en_cours)
    TitulaireFactory(accord_cadre=en_cours)
    MarcheFactory(accord_cadre=en_cours)
    client.force_login(agent)
    url = reverse("marches:accords_cadres")

    def refs(**filtres):
        reponse = client.get(url, filtres)
        return [a.reference for a in reponse.context["accords_cadres"]], reponse

    tous, reponse = refs()
    assert tous == [a_venir.reference, en_cours.reference, echu.reference]
    assert "3 accords-cadres" in reponse.text
    ligne = {a.reference: a for a in reponse.context["accords_cadres"]}[en_cours.reference]
    assert (ligne.nombre_titulaires, ligne.nombre_marches) == (2, 1)
    assert refs(statut="echu")[0] == [echu.reference]
    assert refs(statut="en_cours")[0] == [en_cours.reference]
    assert refs(statut="a_venir")[0] == [a_venir.reference]
    noms, reponse = refs(annee=2021)
    assert noms == [echu.reference]
    assert "1 accord-cadre correspond à vos filtres" in reponse.text
    assert 2021 in dict(reponse.context["filtres"].fields["annee"].choices)
    noms, reponse = refs(statut="a_venir", annee=2021)
    assert noms == [] and "Aucun accord-cadre ne correspond à ces filtres" in reponse.text


def test_la_liste_vide_dit_pourquoi_et_comment_commencer(client, roles):
    client.force_login(roles["dgaln"])
    page = client.get(reverse("marches:accords_cadres")).text
    assert "Aucun accord-cadre n'est enregistré" in page
    assert reverse("marches:accord_cadre_creer") in page
    client.force_login(roles["pilote"])
    page = client.get(reverse("marches:accords_cadres")).text
    assert "0 accord-cadre" in page and reverse("marches:accord_cadre_creer") not in page


def test_la_fiche_sans_titulaire_ni_document_le_dit(client, agent, accord):
    client.force_login(agent)
    page = client.get(reverse("marches:accord_cadre", args=[accord.pk])).text
    assert "Aucun titulaire" in page and "Aucun document déposé" in page
    assert "Le journal est vide." in page


# Query counts, flat when the rows double


def _accords(n, acheteur):
    for _ in range(n):
        accord = AccordCadreFactory(acheteur=acheteur)
        TitulaireFactory(accord_cadre=accord)
        MarcheFactory(accord_cadre=accord)


def test_la_liste_garde_le_meme_nombre_de_requetes(client, agent, dgaln_org):
    client.force_login(agent)
    url = reverse("marches:accords_cadres")
    _accords(5, dgaln_org)
    n = nombre_de_requetes(client, url)
    _accords(5, dgaln_org)
    assert nombre_de_requetes(client, url) == n


def _garnir(accord, n, agent):
    for _ in range(n):
        titulaire = TitulaireFactory(accord_cadre=accord)
        for ordre, role in enumerate(["mandataire", "co_traitant", "co_traitant"]):
            MembreGroupement.objects.create(
                groupement=titulaire.groupement, nom=f"Firme {ordre}", role=role, ordre=ordre
            )
    numero = accord.documents.count()
    for i in range(n):
        for _ in range(2):
            document_accord_cadre_deposer(
                accord_cadre=accord,
                type_document="autre",
                titre=f"Document {numero + i}",
                fichier=_pdf(),
                par=agent,
            )


def test_la_fiche_garde_le_meme_nombre_de_requetes(client, agent, accord):
    client.force_login(agent)
    url = reverse("marches:accord_cadre", args=[accord.pk])
    _garnir(accord, 3, agent)
    n = nombre_de_requetes(client, url)
    _garnir(accord, 3, agent)
    assert nombre_de_requetes(client, url) == n


def test_le_menu_mene_la_dgaln_aux_accords_cadres_et_marque_la_page(client, agent):
    client.force_login(agent)
    page = client.get(reverse("marches:accords_cadres")).text
    menu = page.split('id="navigation-principale"')[1].split("</nav>")[0]
    lien = f'href="{reverse("marches:accords_cadres")}" aria-current="page">Accords-cadres</a>'
    assert lien in menu
    assert menu.count('aria-current="page"') == 1


@pytest.mark.parametrize("valeur", ["zz", "-1", "9" * 5000])
@pytest.mark.parametrize("parametre", ["statut", "annee", "page"])
def test_une_valeur_inattendue_dans_un_filtre_donne_la_liste(
    client, agent, accord, parametre, valeur
):
    client.force_login(agent)
    reponse = client.get(reverse("marches:accords_cadres"), {parametre: [valeur, "x"]})
    assert reponse.status_code == 200
    assert accord.reference in reponse.text


def test_l_administration_ouvre_aussi_les_pages_d_ecriture(client, accord):
    client.force_login(UtilisateurFactory(is_staff=True))
    titulaire = TitulaireFactory(accord_cadre=accord)
    for url in (
        reverse("marches:accord_cadre_creer"),
        reverse("marches:accord_cadre_modifier", args=[accord.pk]),
        reverse("marches:titulaire_retirer", args=[titulaire.pk]),
    ):
        assert client.get(url).status_code == 200
    page = client.get(reverse("marches:accord_cadre", args=[accord.pk]))
    assert "form_titulaire" in page.context and "form_document" in page.context
