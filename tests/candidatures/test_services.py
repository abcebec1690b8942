import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from ateliers.models import Atelier, Evenement, Phase
from ateliers.services import ActionImpossible
from candidatures.models import PreCandidature, Thematique
from candidatures.services import (
    precandidature_confirmer,
    precandidature_decliner,
    precandidature_ouvrir,
)
from comptes.models import Organisation
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.territoires.factories import EPCIFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "nom": "Lou Essai",
    "fonction": "Chargée de mission",
    "organisation": "DDT d'essai",
    "email": "lou@exemple.test",
    "telephone": "",
}


@pytest.fixture
def agent_ddt(ddt):
    return UtilisateurFactory(organisations=[ddt], email="agent.ddt@exemple.test")


@pytest.fixture
def dgaln():
    return UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)], email="agent.dgaln@exemple.test"
    )


def ouvrir(par, ddt, **extra):
    epci = EPCIFactory(departement=ddt.departement, nom="CC du Val d'Essai", siren="200012345")
    arguments = {
        "par": par,
        "intitule": "Vivre avec l'eau",
        "departements": [ddt.departement],
        "epcis": [epci],
        "communes": "",
        "service_pilote": ddt,
        "operateur": None,
        "intention": "Le territoire veut anticiper les crues.",
        "thematiques": Thematique.objects.filter(code="risques"),
        "contacts": [CONTACT],
        **extra,
    }
    return precandidature_ouvrir(**arguments)


def test_ouvrir_cree_l_atelier_la_precandidature_et_previent_la_dgaln(
    agent_ddt, ddt, dgaln, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        atelier = ouvrir(agent_ddt, ddt)
    assert atelier.phase == Phase.PRE_CANDIDATURE
    assert atelier.service_pilote == ddt
    precandidature = PreCandidature.objects.get(atelier=atelier)
    assert [t.code for t in precandidature.thematiques.all()] == ["risques"]
    assert precandidature.contacts.get().email == "lou@exemple.test"
    collectivite = atelier.collectivites.get()
    assert (collectivite.siren, collectivite.type) == ("200012345", Organisation.Type.EPCI)
    assert Evenement.objects.get(atelier=atelier).libelle == "Pré-candidature ouverte"
    assert [m.to for m in mail.outbox] == [["agent.dgaln@exemple.test"]]
    assert f"/ateliers/{atelier.pk}/" in mail.outbox[0].body


def test_une_collectivite_existante_est_reprise_pas_dupliquee(agent_ddt, ddt):
    existante = OrganisationFactory(siren="200012345", nom="CC du Val d'Essai")
    atelier = ouvrir(agent_ddt, ddt)
    assert list(atelier.collectivites.all()) == [existante]
    assert Organisation.objects.filter(siren="200012345").count() == 1


def test_confirmer_ouvre_la_candidature_et_previent_chaque_porteur(
    agent_ddt, ddt, dgaln, django_capture_on_commit_callbacks
):
    atelier = ouvrir(agent_ddt, ddt)
    collegue = UtilisateurFactory(organisations=[ddt], email="collegue@exemple.test")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        atelier = precandidature_confirmer(atelier=atelier, vu=atelier.phase, par=dgaln)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.CANDIDATURE
    assert sorted(m.to[0] for m in mail.outbox) == [agent_ddt.email, collegue.email]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Opportunité confirmée" in mail.outbox[0].subject
    evenement = Evenement.objects.filter(atelier=atelier).first()
    assert (evenement.libelle, evenement.par) == ("Opportunité confirmée", dgaln)


def test_decliner_clot_l_atelier_avec_son_motif(
    agent_ddt, ddt, dgaln, django_capture_on_commit_callbacks
):
    atelier = ouvrir(agent_ddt, ddt)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        precandidature_decliner(
            atelier=atelier, vu=atelier.phase, par=dgaln, motif="Projet déjà accompagné"
        )
    atelier = Atelier.objects.get(pk=atelier.pk)
    assert atelier.phase == Phase.ABANDONNE
    assert atelier.motif_sortie == "Projet déjà accompagné"
    assert atelier.phase_avant_sortie == Phase.PRE_CANDIDATURE
    assert [m.to for m in mail.outbox] == [[agent_ddt.email]]
    assert "Projet déjà accompagné" in mail.outbox[0].body


def test_decliner_sans_motif_est_refuse(agent_ddt, ddt, dgaln):
    atelier = ouvrir(agent_ddt, ddt)
    with pytest.raises(ActionImpossible, match="motif"):
        precandidature_decliner(atelier=atelier, vu=atelier.phase, par=dgaln, motif="  ")
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.PRE_CANDIDATURE


@pytest.mark.parametrize("service", [precandidature_confirmer, precandidature_decliner])
def test_seule_la_dgaln_qualifie(agent_ddt, ddt, service):
    atelier = ouvrir(agent_ddt, ddt)
    arguments = {"motif": "x"} if service is precandidature_decliner else {}
    for intrus in (agent_ddt, membre(), membre(groupement=True)):
        with pytest.raises(PermissionDenied):
            service(atelier=atelier, par=intrus, vu="pre_candidature", **arguments)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.PRE_CANDIDATURE


def test_une_pre_candidature_deja_qualifiee_ne_l_est_pas_deux_fois(agent_ddt, ddt, dgaln):
    atelier = ouvrir(agent_ddt, ddt)
    precandidature_confirmer(atelier=atelier, vu=atelier.phase, par=dgaln)
    with pytest.raises(ActionImpossible, match="plus possible"):
        precandidature_decliner(atelier=atelier, vu=atelier.phase, par=dgaln, motif="Trop tard")
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.CANDIDATURE


def test_les_thematiques_du_programme_sont_chargees():
    familles = set(Thematique.objects.values_list("famille", flat=True))
    assert familles == {"territoriales", "societales", "environnementales"}
    assert Thematique.objects.count() == 10


def test_un_intitule_enregistre_avant_la_regle_n_empeche_pas_les_courriels(
    agent_ddt, ddt, dgaln, django_capture_on_commit_callbacks
):
    """An intitulé saved with a CR/LF before titles were checked made every e-mail of the
    atelier fail in the worker (BadHeaderError): its subject is now sent on one line."""
    atelier = ouvrir(agent_ddt, ddt)
    Atelier.objects.filter(pk=atelier.pk).update(intitule="Vivre avec\r\nl'eau")
    atelier.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        precandidature_confirmer(atelier=atelier, vu=atelier.phase, par=dgaln)
    assert {m.subject for m in mail.outbox} == {"Opportunité confirmée : Vivre avec l'eau"}
