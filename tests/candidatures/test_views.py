import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from ateliers.models import Atelier, Phase
from candidatures.models import PreCandidature, Thematique
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre

pytestmark = pytest.mark.django_db

URL = "candidatures:ouvrir_precandidature"


def donnees(ddt, **extra):
    data = {
        "intitule": "Vivre avec l'eau",
        "departements": [ddt.departement.pk],
        "service_pilote": ddt.pk,
        "intention": "Anticiper les crues du fleuve.",
        "thematiques": [Thematique.objects.get(code="risques").pk],
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-nom": "Lou Essai",
        "contacts-0-organisation": "DDT d'essai",
        "contacts-0-email": "lou@exemple.test",
    }
    data.update(extra)
    return data


@pytest.fixture
def agent(ddt):
    return UtilisateurFactory(organisations=[ddt])


def test_un_agent_ddt_ouvre_une_precandidature(client, agent, ddt):
    client.force_login(agent)
    page = client.get(reverse(URL))
    assert page.status_code == 200
    assert page.context["form"].initial["service_pilote"] == ddt
    response = client.post(reverse(URL), donnees(ddt), follow=True)
    atelier = Atelier.objects.get()
    assert response.redirect_chain[-1][0] == reverse("portail:atelier", args=[atelier.pk])
    assert "Pré-candidature ouverte" in html.unescape(response.text)
    assert "Anticiper les crues du fleuve." in response.text
    assert PreCandidature.objects.get().contacts.get().nom == "Lou Essai"


def test_une_collectivite_ouvre_et_devient_porteuse(client, ddt):
    collectivite = OrganisationFactory(departement=ddt.departement)
    client.force_login(UtilisateurFactory(organisations=[collectivite]))
    client.post(reverse(URL), donnees(ddt))
    assert list(Atelier.objects.get().collectivites.all()) == [collectivite]


@pytest.mark.parametrize("traits", [{"groupement": True}, {"dgaln": True}, {"operateur": True}])
def test_les_autres_roles_n_ouvrent_pas(client, traits):
    client.force_login(membre(**traits))
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL), {}).status_code == 403
    assert not Atelier.objects.exists()


def test_un_formulaire_incomplet_garde_ce_qui_est_saisi(client, agent, ddt):
    client.force_login(agent)
    response = client.post(
        reverse(URL),
        donnees(ddt, thematiques=[], **{"contacts-0-email": "pas-une-adresse"}),
    )
    assert response.status_code == 400
    texte = html.unescape(response.text)
    assert "Choisissez au moins une thématique." in texte
    assert "Saisissez une adresse de courriel valide." in texte
    assert "Anticiper les crues du fleuve." in texte
    assert 'value="Lou Essai"' in texte
    assert not Atelier.objects.exists()


def test_sans_contact_la_precandidature_est_refusee(client, agent, ddt):
    client.force_login(agent)
    response = client.post(
        reverse(URL),
        donnees(
            ddt, **{"contacts-0-nom": "", "contacts-0-organisation": "", "contacts-0-email": ""}
        ),
    )
    assert response.status_code == 400
    assert "Indiquez au moins un contact." in html.unescape(response.text)


def test_des_valeurs_hors_liste_sont_refusees_sans_erreur_500(client, agent, ddt):
    client.force_login(agent)
    response = client.post(
        reverse(URL),
        donnees(ddt, departements=["ZZ"], service_pilote="999999", thematiques=["abc"]),
    )
    assert response.status_code == 400
    assert not Atelier.objects.exists()


@pytest.fixture
def precandidature(client, agent, ddt):
    client.force_login(agent)
    client.post(reverse(URL), donnees(ddt))
    client.logout()
    return Atelier.objects.get()


def test_la_dgaln_voit_la_precandidature_et_la_confirme(
    client, precandidature, django_capture_on_commit_callbacks
):
    dgaln = membre(dgaln=True)
    client.force_login(dgaln)
    page = client.get(reverse("portail:atelier", args=[precandidature.pk]))
    texte = html.unescape(page.text)
    assert "À vous de qualifier cette pré-candidature" in texte
    assert "Rien à faire pour vous" not in texte
    assert 'href="#precandidature"' in texte
    assert 'aria-controls="modale-confirmer_opportunite"' in texte
    # Confirm, decline and abandon: each form carries the phase its page showed.
    assert texte.count('<input type="hidden" name="vu" value="pre_candidature">') == 3
    assert '<button type="submit" class="fr-btn">Confirmer l\'opportunité</button>' in texte
    assert "Confirmer : confirmer" not in texte
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("candidatures:confirmer", args=[precandidature.pk]),
            {"vu": "pre_candidature"},
            follow=True,
        )
    assert "Opportunité confirmée. Les porteurs sont prévenus." in html.unescape(response.text)
    assert Atelier.objects.get(pk=precandidature.pk).phase == Phase.CANDIDATURE
    assert len(mail.outbox) == 1


def test_decliner_sans_motif_redonne_le_formulaire(client, precandidature):
    client.force_login(membre(dgaln=True))
    response = client.post(
        reverse("candidatures:decliner", args=[precandidature.pk]),
        {"decliner_opportunite-motif": ""},
    )
    assert response.status_code == 400
    assert "Indiquez le motif" in html.unescape(response.text)
    assert Atelier.objects.get(pk=precandidature.pk).phase == Phase.PRE_CANDIDATURE


def test_decliner_avec_motif(client, precandidature):
    client.force_login(membre(dgaln=True))
    client.post(
        reverse("candidatures:decliner", args=[precandidature.pk]),
        {"decliner_opportunite-motif": "Déjà accompagné en 2024", "vu": "pre_candidature"},
    )
    atelier = Atelier.objects.get(pk=precandidature.pk)
    assert (atelier.phase, atelier.motif_sortie) == (Phase.ABANDONNE, "Déjà accompagné en 2024")


def test_le_pilote_voit_sans_qualifier(client, precandidature, agent):
    client.force_login(agent)
    page = html.unescape(client.get(reverse("portail:atelier", args=[precandidature.pk])).text)
    assert "Anticiper les crues du fleuve." in page
    assert "À vous de qualifier" not in page
    assert "Rien à faire pour vous" in page
    assert "Confirmer l'opportunité" not in page
    url = reverse("candidatures:confirmer", args=[precandidature.pk])
    assert client.post(url).status_code == 403
    assert (
        client.post(
            reverse("ateliers:action", args=[precandidature.pk, "confirmer_opportunite"])
        ).status_code
        == 404
    )


def test_un_atelier_invisible_donne_404(client, precandidature):
    client.force_login(membre(dgaln=False))
    assert (
        client.post(reverse("candidatures:confirmer", args=[precandidature.pk])).status_code == 404
    )


def test_la_fiche_d_un_atelier_sans_precandidature_n_a_pas_cette_section(client):
    atelier = AtelierFactory(phase=Phase.SESSION_1)
    client.force_login(UtilisateurFactory(organisations=[atelier.service_pilote]))
    page = client.get(reverse("portail:atelier", args=[atelier.pk])).text
    assert 'id="precandidature"' not in page


def test_la_liste_des_epci_suit_les_departements_choisis(client, agent, ddt):
    from tests.territoires.factories import DepartementFactory, EPCIFactory

    ici = EPCIFactory(departement=ddt.departement, nom="CC d'ici")
    ailleurs_dep = DepartementFactory()
    ailleurs = EPCIFactory(departement=ailleurs_dep, nom="CC d'ailleurs")
    client.force_login(agent)

    page = client.get(reverse(URL)).text
    assert "CC d&#x27;ici" in page and "CC d&#x27;ailleurs" not in page
    # Boxes to tick with Space, in a list that portail.js filters: no Ctrl-click.
    assert "<select" not in page.split('id="checkboxes-id_departements"')[1].split("</fieldset>")[0]
    assert re.search(
        rf'<input type="checkbox" name="departements" value="{ddt.departement.pk}"[^>]*'
        r'data-hx-target="#id_epcis-cases"',
        page,
    )
    assert '<div class="liste-cases" id="id_epcis-cases" data-liste-cases=' in page
    options = client.get(
        reverse("candidatures:epci_options"),
        {"departements": [ailleurs_dep.pk, ddt.departement.pk], "epcis": [ici.pk]},
    ).text
    assert re.search(
        rf'type="checkbox" name="epcis" value="{ici.pk}" id="id_epcis_\d" checked>', options
    )
    assert re.search(
        rf'type="checkbox" name="epcis" value="{ailleurs.pk}" id="id_epcis_\d">', options
    )

    response = client.post(reverse(URL), donnees(ddt, epcis=[ailleurs.pk]))
    assert response.status_code == 400
    assert "n'est pas une intercommunalité des départements choisis" in html.unescape(response.text)
    client.post(reverse(URL), donnees(ddt, epcis=[ici.pk]))
    assert Atelier.objects.get().epcis.get() == ici


def test_la_liste_des_epci_demande_une_connexion(client):
    response = client.get(reverse("candidatures:epci_options"), {"departements": ["35"]})
    assert response.status_code == 302


def test_qualifier_sans_javascript_passe_par_une_page_de_confirmation(client, precandidature):
    client.force_login(membre(dgaln=True))
    page = client.get(reverse("candidatures:decliner", args=[precandidature.pk]))
    assert page.status_code == 200
    texte = html.unescape(page.text)
    assert "Décliner l'opportunité ?" in texte
    assert f'action="{reverse("candidatures:decliner", args=[precandidature.pk])}"' in texte
    assert (
        client.get(reverse("candidatures:confirmer", args=[precandidature.pk])).status_code == 200
    )


@pytest.mark.parametrize("intitule", ["Vivre avec l'eau\r\nBcc: x@exemple.test", "Vivre\x0bavec"])
def test_un_intitule_avec_un_caractere_de_controle_est_refuse(client, agent, ddt, intitule):
    """The intitulé becomes the subject of every e-mail of the atelier: a CR/LF would break
    them all (BadHeaderError), so a crafted one is refused on its field."""
    client.force_login(agent)
    response = client.post(reverse(URL), donnees(ddt, intitule=intitule))
    assert response.status_code == 400
    assert response.context["form"].errors["intitule"] == [
        "Ce champ ne peut pas contenir de retour à la ligne ni de caractère de contrôle."
    ]
    assert not Atelier.objects.exists()
