"""At each dépôt the atelier takes its note's title, territory and collectivités porteuses
(by SIREN): lists, pages, e-mails and rights follow the note, and the journal says what changed."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from ateliers.models import Atelier, Evenement, Phase
from ateliers.services import ActionImpossible
from candidatures.models import Candidature, VersionCandidature
from candidatures.services import (
    candidature_demander_complements,
    candidature_deposer,
    candidature_ouvrir,
    message_envoyer,
    partie_enregistrer,
)
from comptes.models import Courriel, Organisation
from tests.candidatures.dossier import completer, deposer_courriers
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import DepartementFactory, EPCIFactory

pytestmark = pytest.mark.django_db

PROVISOIRE = "Vallée provisoire"
TITRE = "Habiter la vallée inondable"
REPRISE = "L'atelier reprend la note déposée :"


def reprise():
    """The lines of the last dépôt's journal line that tell what the atelier took."""
    ligne = Evenement.objects.filter(code="candidature.deposee").latest("pk")
    lignes = ligne.commentaire.splitlines()
    return ligne, lignes[lignes.index(REPRISE) + 1 :] if REPRISE in lignes else []


def sans_reprise():
    return not Evenement.objects.filter(commentaire__contains=REPRISE).exists()


@pytest.fixture
def atelier():
    from tests.ateliers.factories import AtelierFactory

    return AtelierFactory(
        phase=Phase.CANDIDATURE,
        intitule=PROVISOIRE,
        collectivites=[
            OrganisationFactory(nom="Communauté du Val", siren="200000101"),
            OrganisationFactory(nom="Communauté des Coteaux", siren="200000102"),
        ],
    )


@pytest.fixture
def val(atelier):
    return UtilisateurFactory(
        organisations=[atelier.collectivites.get(nom="Communauté du Val")], email="elu@val.test"
    )


@pytest.fixture
def coteaux(atelier):
    return UtilisateurFactory(
        organisations=[atelier.collectivites.get(nom="Communauté des Coteaux")],
        email="elue@coteaux.test",
    )


@pytest.fixture
def pilote(atelier):
    return UtilisateurFactory(organisations=[atelier.service_pilote], email="pilote@ddt.test")


@pytest.fixture
def dgaln():
    return UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)], email="instruction@exemple.test"
    )


@pytest.fixture
def scot():
    """A collectivité of the portal, not yet porteuse, with one member."""
    syndicat = OrganisationFactory(
        nom="Syndicat du SCOT de la Vallée", siren="250000303", type=Organisation.Type.SYNDICAT
    )
    UtilisateurFactory(organisations=[syndicat], email="agent@scot.test")
    return syndicat


def ligne(organisation, siren):
    return {
        "organisation": organisation,
        "siren": siren,
        "elu": "Élu d'essai",
        "referent": "Référent d'essai",
        "referent_courriel": "referent@exemple.test",
    }


@pytest.fixture
def deposee(atelier, val):
    """The dossier as opened and deposited once, saying what the atelier says (version 1)."""
    candidature = completer(
        candidature_ouvrir(atelier=atelier),
        val,
        objet={"titre": PROVISOIRE},
        localisation={"departements": list(atelier.departements.all())},
    )
    deposer_courriers(candidature, val)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=val)
    return Candidature.objects.get(pk=candidature.pk)


def rouvrir(candidature, dgaln, pieces=("objet", "localisation", "porteurs")):
    candidature_demander_complements(
        candidature=candidature, vu=candidature.statut, par=dgaln, pieces=list(pieces), message="…"
    )
    return Candidature.objects.get(pk=candidature.pk)


def enregistrer(candidature, attribut, par, **champs):
    partie = getattr(Candidature.objects.get(pk=candidature.pk), attribut)
    partie_enregistrer(partie=partie, champs=champs, version_lue=partie.version, par=par)


def porteurs_de_la_note(candidature, par, *lignes):
    enregistrer(candidature, "porteurs", par, collectivites=list(lignes))


def redeposer(candidature, par):
    candidature = Candidature.objects.get(pk=candidature.pk)
    return candidature_deposer(candidature=candidature, vu=candidature.statut, par=par)


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, html.unescape(response.text)


def test_un_premier_depot_fidele_a_l_atelier_ne_change_rien_et_ne_journalise_rien(atelier, deposee):
    avant = Atelier.objects.get(pk=atelier.pk)
    assert avant.intitule == PROVISOIRE
    assert set(avant.collectivites.values_list("nom", flat=True)) == {
        "Communauté du Val",
        "Communauté des Coteaux",
    }
    assert sans_reprise()


def test_apres_un_redepot_l_atelier_dit_ce_que_dit_la_note(
    client, atelier, deposee, val, coteaux, pilote, dgaln, scot, django_capture_on_commit_callbacks
):
    departement = atelier.departements.get()
    voisin = DepartementFactory(nom="Lot-et-Garonne", region=departement.region)
    epci = EPCIFactory(nom="CC des Coteaux de Garonne", departement=voisin)
    candidature = rouvrir(deposee, dgaln)
    enregistrer(candidature, "objet", val, titre=TITRE)
    enregistrer(
        candidature,
        "localisation",
        val,
        departements=[departement, voisin],
        epcis=[epci],
        communes="Sainte-Bazeille, Couthures-sur-Garonne",
    )
    porteurs_de_la_note(
        candidature,
        val,
        ligne("Communauté du Val", "200000101"),
        ligne("Syndicat du SCOT de la Vallée", "250 000 303"),
        ligne("Commune de Couthures-sur-Garonne", "214700792"),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version = redeposer(candidature, val)
    assert version.numero == 2

    atelier = Atelier.objects.get(pk=atelier.pk)
    assert atelier.intitule == TITRE
    assert atelier.phase == Phase.INSTRUCTION
    assert set(atelier.departements.all()) == {departement, voisin}
    assert list(atelier.epcis.all()) == [epci]
    assert atelier.communes == "Sainte-Bazeille, Couthures-sur-Garonne"
    commune = Organisation.objects.get(siren="214700792")
    assert (commune.nom, commune.type) == (
        "Commune de Couthures-sur-Garonne",
        Organisation.Type.COMMUNE,
    )
    assert set(atelier.collectivites.all()) == {
        atelier.collectivites.get(nom="Communauté du Val"),
        scot,
        commune,
    }

    # The dépôt's one journal line says what changed, by whom.
    evenement, changements = reprise()
    assert (evenement.atelier, evenement.par) == (atelier, val)
    assert changements == [
        f"Intitulé : « {PROVISOIRE} » → « {TITRE} »",
        f"Départements ajoutés : {voisin}",
        "EPCI ajoutés : CC des Coteaux de Garonne",
        "Communes : aucune → « Sainte-Bazeille, Couthures-sur-Garonne »",
        "Collectivités porteuses ajoutées : Commune de Couthures-sur-Garonne, "
        "Syndicat du SCOT de la Vallée",
        "Collectivités porteuses retirées : Communauté des Coteaux",
    ]

    # Lists, pages and e-mails show the note's title.
    assert [m.subject for m in mail.outbox] == [f"Candidature déposée : {TITRE}"]
    statut, liste = page(client, val, reverse("portail:ateliers"))
    assert statut == 200 and TITRE in liste and PROVISOIRE not in liste
    statut, fiche = page(client, pilote, reverse("portail:atelier", args=[atelier.pk]))
    assert statut == 200 and f"<h1>{TITRE}</h1>" in fiche
    # The old title stays only in the journal's line.
    assert PROVISOIRE not in fiche.replace(f"Intitulé : « {PROVISOIRE} »", "")
    statut, accueil = page(client, dgaln, reverse("portail:accueil"))
    assert statut == 200
    assert f"{atelier.reference} — {TITRE}" in accueil and PROVISOIRE not in accueil
    message_envoyer(
        candidature=Candidature.objects.get(pk=candidature.pk), par=dgaln, texte="Reçu."
    )
    suivant = Courriel.objects.order_by("-pk").first()
    assert suivant.sujet == f"Nouveau message sur la candidature « {TITRE} »"

    # Rights follow the note: the porteur left out loses the atelier, those added gain it.
    fiche = reverse("portail:atelier", args=[atelier.pk])
    assert page(client, coteaux, fiche)[0] == 404
    assert page(client, scot.membres.get(), fiche)[0] == 200
    assert page(client, val, fiche)[0] == 200


def test_une_collectivite_ne_retire_pas_la_sienne_de_la_note(atelier, deposee, val, dgaln):
    candidature = rouvrir(deposee, dgaln, pieces=["objet", "porteurs"])
    enregistrer(candidature, "objet", val, titre=TITRE)
    porteurs_de_la_note(candidature, val, ligne("Communauté des Coteaux", "200000102"))
    with pytest.raises(ActionImpossible) as refus:
        redeposer(candidature, val)
    assert str(refus.value) == (
        "« Communauté du Val », au titre de laquelle vous déposez, ne figure plus parmi les "
        "collectivités porteuses de la note : vous n'auriez plus accès à l'atelier. Ajoutez-la "
        "dans les porteurs de la note (section 1), avec son SIREN (200000101), ou laissez une "
        "autre collectivité porteuse ou le service pilote déposer."
    )
    # Nothing of the dépôt is kept.
    assert (
        Candidature.objects.get(pk=candidature.pk).statut == Candidature.Statut.COMPLEMENTS_DEMANDES
    )
    assert VersionCandidature.objects.filter(candidature=candidature).count() == 1
    atelier = Atelier.objects.get(pk=atelier.pk)
    assert atelier.intitule == PROVISOIRE
    assert atelier.collectivites.count() == 2
    assert sans_reprise()


def test_le_service_pilote_depose_une_note_qui_retire_une_collectivite(
    client, atelier, deposee, val, coteaux, pilote, dgaln
):
    candidature = rouvrir(deposee, dgaln, pieces=["porteurs"])
    porteurs_de_la_note(candidature, val, ligne("Communauté des Coteaux", "200000102"))
    redeposer(candidature, pilote)
    fiche = reverse("portail:atelier", args=[atelier.pk])
    assert page(client, val, fiche)[0] == 404
    assert page(client, coteaux, fiche)[0] == 200
    evenement, changements = reprise()
    assert changements == ["Collectivités porteuses retirées : Communauté du Val"]
    assert evenement.organisation == atelier.service_pilote


def test_une_collectivite_sans_siren_dans_le_portail_le_recoit_de_la_note(dgaln):
    from tests.ateliers.factories import AtelierFactory

    sans_siren = OrganisationFactory(nom="Commune de Meilhan", siren="")
    atelier = AtelierFactory(phase=Phase.CANDIDATURE, collectivites=[sans_siren])
    elue = UtilisateurFactory(organisations=[sans_siren])
    candidature = candidature_ouvrir(atelier=atelier)
    assert candidature.porteurs.collectivites == [
        {"organisation": "Commune de Meilhan", "siren": ""}
    ]
    candidature = completer(
        candidature,
        elue,
        objet={"titre": atelier.intitule},
        localisation={"departements": list(atelier.departements.all())},
        porteurs={"collectivites": [ligne("Commune de Meilhan", "214701634")]},
    )
    deposer_courriers(candidature, elue)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=elue)
    sans_siren.refresh_from_db()
    assert sans_siren.siren == "214701634"
    assert list(Atelier.objects.get(pk=atelier.pk).collectivites.all()) == [sans_siren]
    assert Organisation.objects.filter(nom="Commune de Meilhan").count() == 1
    assert sans_reprise()


@pytest.mark.parametrize(
    ("lignes", "message"),
    [
        (
            [ligne("Communauté du Val", "200000101"), ligne("Opérateur", "300000404")],
            "Le SIREN 300000404, indiqué pour « Opérateur », est dans le portail celui de "
            "« EPF de la Vallée » (Opérateur de l'État), qui n'est pas une collectivité. Corrigez "
            "la ligne de « Opérateur » dans les porteurs de la note (section 1) avant de déposer.",
        ),
        (
            [ligne("Communauté du Val", "200000101"), ligne("Doublon du Val", "200000101")],
            "Le SIREN 200000101 figure sur deux lignes des porteurs de la note (« Communauté du "
            "Val » et « Doublon du Val ») : corrigez-le dans la section 1 avant de déposer.",
        ),
    ],
)
def test_un_siren_qui_ne_designe_pas_une_collectivite_est_refuse(
    atelier, deposee, val, dgaln, lignes, message
):
    OrganisationFactory(operateur=True, nom="EPF de la Vallée", siren="300000404")
    candidature = rouvrir(deposee, dgaln, pieces=["porteurs"])
    porteurs_de_la_note(candidature, val, *lignes)
    with pytest.raises(ActionImpossible) as refus:
        redeposer(candidature, val)
    assert str(refus.value) == message
    assert VersionCandidature.objects.filter(candidature=candidature).count() == 1
