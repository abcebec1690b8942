"""axe-core and the HTML checker on the pages that no journey visits: legal pages, errors,
filtered and empty lists, the confirmation page of an action (the path without JavaScript), the
review queue on a 1 280-pixel screen, and the back-office."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from dsfr.models import DsfrConfig
from playwright.sync_api import expect

from ateliers.models import (
    Alerte,
    Atelier,
    Cadrage,
    CompteRendu,
    EtapePrevue,
    InterAtelier,
    Phase,
    Restitution,
    Session,
)
from candidatures.models import Contact, PreCandidature, Thematique
from candidatures.services import candidature_deposer, candidature_ouvrir
from comptes.models import Courriel, MembreGroupement, Organisation
from documents.models import FichierDepose
from livrables.models import (
    Action,
    Avis,
    Axe,
    Cloture,
    Commentaire,
    Financement,
    ImageLivret,
    Livrable,
    Objectif,
    PartieRedigee,
    VersionLivrable,
)
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courriers
from tests.candidatures.factories import CandidatureFactory
from tests.comptes.factories import MOT_DE_PASSE, OrganisationFactory, UtilisateurFactory
from tests.marches.factories import (
    ConsultationFactory,
    MarcheFactory,
    OffreFactory,
    TitulaireFactory,
    VersionCctpFactory,
)
from tests.territoires.factories import EPCIFactory

PAGES_PUBLIQUES = [
    ("/accessibilite/", "accessibilité"),
    ("/mentions-legales/", "Mentions légales"),
    ("/donnees-personnelles/", "Données personnelles"),
    ("/plan-du-site/", "Plan du site"),
    ("/page-qui-n-existe-pas/", "Page non trouvée"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("chemin", "titre"), PAGES_PUBLIQUES)
def test_les_pages_publiques_sont_accessibles(page, live_server, verifier_page, chemin, titre):
    page.goto(f"{live_server.url}{chemin}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(titre)
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_listes_filtrees_vides_et_confirmation_sans_javascript(
    page, live_server, connecter, verifier_page
):
    ddt = OrganisationFactory(ddt=True)
    pilote = UtilisateurFactory(organisations=[ddt])
    atelier = AtelierFactory(phase=Phase.SESSION_3, service_pilote=ddt, intitule="Vallée verte")
    connecter(pilote)

    page.goto(f"{live_server.url}/ateliers/?phase=session_3&tri=-intitule")
    expect(page.get_by_role("link", name=atelier.reference)).to_be_visible()
    verifier_page()
    page.goto(f"{live_server.url}/ateliers/?q=introuvable")
    expect(page.get_by_text("Aucun atelier ne correspond à ces filtres")).to_be_visible()
    verifier_page()
    page.goto(f"{live_server.url}/ateliers/?annee=abc")
    expect(page.get_by_text("Sélectionnez un choix valide")).to_be_visible()
    verifier_page()

    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/action/abandonner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Abandonner l'atelier ?")
    verifier_page()
    page.get_by_label("Motif").fill("   ")
    page.get_by_role("button", name="Confirmer : abandonner l'atelier").click()
    expect(page.get_by_role("link", name="Motif : Indiquez le motif")).to_have_attribute(
        "href", "#id_abandonner-motif"
    )
    expect(page.locator(".fr-error-text")).to_have_text(
        "Indiquez le motif : il sera conservé dans le journal."
    )
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_la_file_d_instruction_tient_dans_un_ecran_de_1280_pixels(
    page, live_server, connecter, verifier_page, thematiques
):
    CandidatureFactory(deposee=True, objet__thematiques=list(Thematique.objects.all()))
    page.set_viewport_size({"width": 1280, "height": 900})
    connecter(UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)]))

    page.goto(f"{live_server.url}/candidatures/a-instruire/")
    expect(page.get_by_role("combobox", name=re.compile("^État"))).to_have_class("fr-select")
    tableau = page.locator(".fr-table__container")
    largeurs = tableau.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert largeurs[0] <= largeurs[1], f"tableau de {largeurs[0]} px dans {largeurs[1]} px"
    verifier_page()


@pytest.fixture
def back_office(thematiques):
    """A back-office filled as the demo fills it: every registered model has rows, a dossier
    was deposited with its letters, an atelier has moved on since it was created."""
    collectivite = OrganisationFactory(nom="Communauté de communes du Val")
    groupement = OrganisationFactory(groupement=True, nom="Groupement Paysages & Co")
    MembreGroupement.objects.create(
        groupement=groupement, nom="Paysages & Co", role=MembreGroupement.Role.MANDATAIRE
    )
    EPCIFactory(departement=collectivite.departement)
    redactrice = UtilisateurFactory(organisations=[collectivite], prenom="Camille")
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE, collectivites=[collectivite], intitule="Le Val demain"
    )
    precandidature = PreCandidature.objects.create(atelier=atelier, intention="Le Val change.")
    precandidature.thematiques.set(Thematique.objects.all()[:2])
    Contact.objects.create(
        precandidature=precandidature,
        nom="Camille Roux",
        organisation=collectivite.nom,
        email="camille@exemple.test",
    )
    candidature = candidature_ouvrir(atelier=atelier)
    completer(candidature, redactrice)
    deposer_courriers(candidature, redactrice)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=redactrice)
    # The marchés' back office: an offer, its CCTP version, round and marché, and a titulaire.
    offre = OffreFactory(
        version_cctp=VersionCctpFactory(
            consultation=ConsultationFactory(marche=MarcheFactory(atelier=atelier))
        )
    )
    TitulaireFactory(
        accord_cadre=offre.consultation.marche.accord_cadre, groupement=offre.groupement
    )
    _accompagnement_et_livrables(atelier, collectivite, redactrice)
    Group.objects.create(name="Instructeurs DGALN")
    Courriel.objects.create(
        destinataire="camille@exemple.test", sujet="Candidature déposée : Le Val demain", corps="…"
    )
    DsfrConfig.objects.get_or_create(site_title="Atelier Local")
    for modele in (AccessAttempt, AccessLog, AccessFailureLog):
        extra = {"failures_since_start": 1} if modele is AccessAttempt else {}
        modele.objects.create(
            user_agent="Mozilla/5.0",
            ip_address="192.0.2.1",
            username="inconnu@exemple.test",
            http_accept="text/html",
            path_info="/compte/connexion/",
            **extra,
        )
    return UtilisateurFactory(
        is_staff=True, is_superuser=True, prenom="Ada", nom="Admin", email="admin@exemple.test"
    )


def _accompagnement_et_livrables(atelier, collectivite, auteur):
    """A row of each model of the accompagnement and of the livrables, for their back office."""
    Cadrage.objects.create(atelier=atelier, lien_visio="https://visio.exemple.test/cadrage")
    EtapePrevue.objects.create(atelier=atelier, nature="cadrage", date_prevue=datetime.date.today())
    session = Session.objects.create(atelier=atelier, numero=1)
    CompteRendu.objects.create(session=session, synthese="Les enjeux du Val.")
    InterAtelier.objects.create(
        atelier=atelier,
        nature="entretien",
        date=datetime.date.today(),
        titre="Le maire",
        auteur=auteur,
    )
    Restitution.objects.create(atelier=atelier)
    Alerte.objects.create(atelier=atelier, nature="douze_mois", libelle="Au-delà de 12 mois")
    livrable = Livrable.objects.create(atelier=atelier, type="note_cadrage")
    PartieRedigee.objects.create(
        livrable=livrable, cle="methodologie", titre="Méthodologie", texte="Trois temps."
    )
    version = VersionLivrable.objects.create(
        livrable=livrable,
        numero=1,
        mode="redige",
        contenu={"parties": [{"cle": "methodologie", "titre": "Méthodologie", "texte": "…"}]},
        deposee_par=auteur,
    )
    Commentaire.objects.create(version=version, texte="Le calendrier ?", auteur=auteur)
    Avis.objects.create(version=version, collectivite=collectivite, sens="favorable", auteur=auteur)
    Cloture.objects.create(atelier=atelier)
    feuille = Livrable.objects.create(atelier=atelier, type="feuille_route")
    Objectif.objects.create(livrable=feuille, intitule="Sobriété foncière")
    axe = Axe.objects.create(livrable=feuille, intitule="Requalifier les zones")
    action = Action.objects.create(
        livrable=feuille, numero=1, axe=axe, titre="Plan-guide de la zone nord", priorite=1
    )
    Financement.objects.create(action=action, source="etat_fonds_vert", montant=1000)
    livret = Livrable.objects.create(atelier=atelier, type="livret")
    image = FichierDepose.objects.create(
        fichier="livrables/vue.jpg",
        nom_original="vue.jpg",
        extension="jpg",
        taille=10,
        type_contenu="image/jpeg",
        sha256="0" * 64,
        depose_par=auteur,
        proprietaire=livret,
    )
    ImageLivret.objects.create(
        livrable=livret,
        fichier=image,
        partie="edito",
        texte_alternatif="Une vue du Val",
        deposee_par=auteur,
    )


def _pages_admin(administrateur):
    """Every page of the back-office an agent meets: index, each application, and for each
    registered model its list (plain, searched), its forms (add, change) and its history."""
    requete = RequestFactory().get("/admin/")
    requete.user = administrateur
    applications, pages = set(), [reverse("admin:index")]
    for modele, modele_admin in admin.site._registry.items():
        info = modele._meta.app_label, modele._meta.model_name
        applications.add(modele._meta.app_label)
        objet = modele._default_manager.order_by("pk").first()
        assert objet is not None, f"aucune ligne de {modele._meta.label} à montrer"
        liste = reverse("admin:{}_{}_changelist".format(*info))
        pages += [liste, f"{liste}?q=a"]
        if modele_admin.has_add_permission(requete):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[objet.pk]))
        pages.append(reverse("admin:{}_{}_history".format(*info), args=[objet.pk]))
    pages += [reverse("admin:app_list", args=[a]) for a in sorted(applications)]
    atelier = Atelier.objects.get()
    pages += [
        reverse(
            "admin:ateliers_atelier_simple_history",
            args=[atelier.pk, atelier.history.earliest("history_date").history_id],
        ),
        reverse("admin:auth_user_password_change", args=[administrateur.pk]),
        reverse("admin:comptes_organisation_delete", args=[Organisation.objects.first().pk]),
        reverse("admin:ateliers_atelier_changelist") + "?phase__exact=instruction",
    ]
    return pages


@pytest.mark.django_db(transaction=True)
def test_admin_toutes_les_pages_sont_accessibles(page, live_server, verifier_page, back_office):
    echecs = []

    def verifier():
        try:
            verifier_page()
        except AssertionError as erreur:
            echecs.append(str(erreur))

    page.goto(f"{live_server.url}{reverse('admin:login')}")
    verifier()
    page.get_by_label("Adresse électronique").fill(back_office.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for chemin in _pages_admin(back_office):
        reponse = page.goto(f"{live_server.url}{chemin}")
        assert reponse.ok, f"{chemin} : {reponse.status}"
        verifier()
    assert not echecs, f"{len(echecs)} page(s) de l'admin en échec :\n" + "\n".join(echecs)
