import pytest

from ateliers.models import Phase
from ateliers.selectors import ateliers_visibles
from candidatures.models import PreCandidature
from portail.selectors import ateliers_a_traiter
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.factories import CandidatureFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.livrables.cloture import tenir_la_restitution, valider
from tests.marques import sur_postgres
from tests.territoires.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    """Two régions, three départements, their State services and five ateliers."""
    bretagne, normandie = RegionFactory(), RegionFactory()
    d35, d56 = DepartementFactory(region=bretagne), DepartementFactory(region=bretagne)
    d14 = DepartementFactory(region=normandie)
    ddt35 = OrganisationFactory(ddt=True, departement=d35)
    ddt14 = OrganisationFactory(ddt=True, departement=d14)
    dreal_bretagne = OrganisationFactory(dreal=True, region=bretagne)
    rennes = OrganisationFactory(departement=d35)
    vannes = OrganisationFactory(departement=d56)
    groupement = OrganisationFactory(groupement=True)
    autre_groupement = OrganisationFactory(groupement=True)
    operateur = OrganisationFactory(operateur=True, departement=d56)
    ateliers = {
        "rennes": AtelierFactory(
            service_pilote=ddt35,
            departements=[d35],
            collectivites=[rennes],
            phase=Phase.RESTITUTION,
            groupement=groupement,
        ),
        "vannes": AtelierFactory(
            service_pilote=dreal_bretagne,
            departements=[d56],
            collectivites=[vannes],
            operateur=operateur,
        ),
        "caen": AtelierFactory(
            service_pilote=ddt14,
            departements=[d14],
            phase=Phase.SESSION_2,
            groupement=autre_groupement,
        ),
        "interdepartemental": AtelierFactory(
            service_pilote=ddt14, departements=[d14, d35], phase=Phase.INSTRUCTION
        ),
        "sans_pilote": AtelierFactory(
            service_pilote=None, departements=[d56], collectivites=[vannes]
        ),
    }
    orgs = {
        "ddt35": ddt35,
        "ddt14": ddt14,
        "dreal": dreal_bretagne,
        "rennes": rennes,
        "vannes": vannes,
        "groupement": groupement,
        "operateur": operateur,
        "dgaln": OrganisationFactory(dgaln=True),
    }
    return ateliers, orgs


def noms(queryset, ateliers):
    pks = set(queryset.values_list("pk", flat=True))
    return {nom for nom, a in ateliers.items() if a.pk in pks}


@pytest.mark.parametrize(
    ("organisation", "attendus"),
    [
        ("dgaln", {"rennes", "vannes", "caen", "interdepartemental", "sans_pilote"}),
        ("ddt35", {"rennes", "interdepartemental"}),
        ("ddt14", {"caen", "interdepartemental"}),
        ("dreal", {"rennes", "vannes", "interdepartemental", "sans_pilote"}),
        ("rennes", {"rennes"}),
        ("vannes", {"vannes", "sans_pilote"}),
        ("groupement", {"rennes"}),
        ("operateur", {"vannes"}),
    ],
)
def test_chaque_role_voit_exactement_ses_ateliers(monde, organisation, attendus):
    ateliers, orgs = monde
    user = UtilisateurFactory(organisations=[orgs[organisation]])
    assert noms(ateliers_visibles(user), ateliers) == attendus


def test_un_membre_de_plusieurs_organisations_voit_l_union_sans_doublon(monde):
    ateliers, orgs = monde
    user = UtilisateurFactory(organisations=[orgs["rennes"], orgs["groupement"], orgs["ddt35"]])
    visibles = ateliers_visibles(user)
    assert noms(visibles, ateliers) == {"rennes", "interdepartemental"}
    assert visibles.count() == 2


def test_sans_organisation_on_ne_voit_rien(monde):
    _ateliers, _ = monde
    assert not ateliers_visibles(UtilisateurFactory()).exists()


def test_un_administrateur_voit_tout(monde):
    ateliers, _ = monde
    admin = UtilisateurFactory(is_staff=True)
    assert noms(ateliers_visibles(admin), ateliers) == set(ateliers)


def test_a_traiter_suit_les_transitions_permises(monde):
    ateliers, orgs = monde
    pilote35 = UtilisateurFactory(organisations=[orgs["ddt35"]])
    pilote14 = UtilisateurFactory(organisations=[orgs["ddt14"]])
    dgaln = UtilisateurFactory(organisations=[orgs["dgaln"]])
    vannes = UtilisateurFactory(organisations=[orgs["vannes"]])
    # DGALN's steps are the candidature's: they wait on its pré-candidatures and dossiers.
    for nom in ("vannes", "sans_pilote"):
        PreCandidature.objects.create(atelier=ateliers[nom], intention="Une intention")
    CandidatureFactory(atelier=ateliers["interdepartemental"], deposee=True)
    # In its restitution, an atelier waits on its pilot once it may be closed (livrables).
    assert noms(ateliers_a_traiter(pilote35), ateliers) == set()
    valider(ateliers["rennes"])
    tenir_la_restitution(ateliers["rennes"])
    assert noms(ateliers_a_traiter(pilote35), ateliers) == {"rennes"}
    assert noms(ateliers_a_traiter(pilote14), ateliers) == {"caen"}
    assert noms(ateliers_a_traiter(dgaln), ateliers) == {
        "vannes",
        "interdepartemental",
        "sans_pilote",
    }
    assert noms(ateliers_a_traiter(vannes), ateliers) == set()
    for user in (pilote35, pilote14, dgaln, vannes):
        for atelier in ateliers_a_traiter(user):
            assert any(
                not t.custom.get("danger")
                for t in atelier.get_available_user_phase_transitions(user)
            )


def test_une_decision_rendue_n_est_pas_a_traiter_pour_la_dgaln():
    """A non-eligibility may be corrected, but nobody expects it: it is not « à traiter »."""
    dgaln = UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)])
    non_eligible = CandidatureFactory(non_eligible=True).atelier
    en_instruction = CandidatureFactory(en_instruction=True).atelier
    a_traiter = set(ateliers_a_traiter(dgaln).values_list("pk", flat=True))
    assert en_instruction.pk in a_traiter
    assert non_eligible.pk not in a_traiter


@pytest.mark.parametrize("organisation", ["ddt35", "dreal", "rennes", "groupement", "operateur"])
def test_la_visibilite_unit_des_recherches_par_index_sans_ou_entre_jointures(monde, organisation):
    _ateliers, orgs = monde
    user = UtilisateurFactory(organisations=[orgs[organisation], orgs["ddt14"]])

    sql = str(ateliers_visibles(user).query)

    assert " UNION " in sql
    assert " OR " not in sql
    assert " JOIN " not in sql.split(" IN ", 1)[0]


def test_a_faire_ne_demande_a_la_base_que_les_attentes_possibles_dans_la_phase(
    django_assert_num_queries,
):
    from django.db.models import Q

    from ateliers.selectors import Attente, a_faire, a_traiter_pks

    atelier = AtelierFactory(phase=Phase.CADRAGE)
    ailleurs = Attente(libelle="Ailleurs", q=Q(), phases=frozenset([Phase.SESSION_1]))
    ici = Attente(libelle="Ici", q=Q(), phases=frozenset([Phase.CADRAGE]))
    partout = Attente(libelle="Partout", q=Q())

    with django_assert_num_queries(0):
        assert a_faire([atelier], [ailleurs]) == {}
    with django_assert_num_queries(1):
        assert a_faire([atelier], [ailleurs, ici, partout]) == {atelier.pk: ["Ici", "Partout"]}
    # The list reads the same phases: an expectation's filter requires them by itself.
    assert not a_traiter_pks([ailleurs]).filter(pk=atelier.pk).exists()
    assert a_traiter_pks([ici]).filter(pk=atelier.pk).exists()


def test_la_version_de_la_fiche_lue_avec_l_atelier_est_la_meme_que_seule():
    from ateliers.models import Atelier, CodeAtelier
    from ateliers.selectors import pour_la_page, version_fiche
    from ateliers.services import journal_ecrire

    atelier = AtelierFactory()
    vide = pour_la_page(Atelier.objects.all()).get(pk=atelier.pk)
    assert (vide.journal_lignes, version_fiche(vide)) == (0, version_fiche(atelier))

    for libelle in ("Un", "Deux"):
        journal_ecrire(code=CodeAtelier.OUVERT, objet=atelier, atelier=atelier, libelle=libelle)
    lu = pour_la_page(Atelier.objects.all()).get(pk=atelier.pk)
    assert lu.journal_lignes == 2
    assert version_fiche(lu) == version_fiche(Atelier.objects.get(pk=atelier.pk))


def test_les_attentes_de_la_candidature_et_du_marche_n_attendent_que_dans_leurs_phases():
    """A candidature is written and reviewed in the candidature and instruction phases, a
    marché prepared in the marché phase: `a_faire` asks nothing about them of an atelier in
    its restitution, and a record left in such a state on an atelier gone further (data from
    before, an import) does not make it « à traiter »."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ateliers.selectors import a_faire
    from portail.selectors import attentes
    from tests.marches.factories import MarcheFactory

    ddt = OrganisationFactory(ddt=True)
    commune = OrganisationFactory()
    pilote = UtilisateurFactory(organisations=[ddt, commune])
    en_restitution = AtelierFactory(
        service_pilote=ddt, collectivites=[commune], phase=Phase.RESTITUTION
    )
    CandidatureFactory(atelier=en_restitution)  # still « en rédaction »
    MarcheFactory(atelier=en_restitution)  # still « en préparation »
    en_marche = MarcheFactory(atelier__service_pilote=ddt).atelier

    with CaptureQueriesContext(connection) as requetes:
        assert "Rédiger le CCTP et publier la consultation" not in a_faire(
            [en_restitution], attentes(pilote)
        ).get(en_restitution.pk, [])
    sql = requetes.captured_queries[-1]["sql"]
    assert "candidatures_candidature" not in sql
    assert "en_preparation" not in sql

    a_traiter = set(ateliers_a_traiter(pilote).values_list("pk", flat=True))
    assert en_restitution.pk not in a_traiter
    assert en_marche.pk in a_traiter
    assert a_faire([en_marche], attentes(pilote))[en_marche.pk] == [
        "Rédiger le CCTP et publier la consultation"
    ]


@sur_postgres
def test_postgresql_ne_compile_pas_les_requetes_du_portail():
    """JIT off for the portal's connections (config/settings.py): compiling the « à traiter »
    of DGALN cost 13 ms for a query that runs in 5."""
    from django.db import connection

    with connection.cursor() as curseur:
        curseur.execute("SHOW jit")
        assert curseur.fetchone()[0] == "off"
