import pytest
from django.core.management import CommandError, call_command

from ateliers.models import Atelier, Evenement, Phase
from comptes.models import MembreGroupement, Organisation, Utilisateur
from comptes.selectors import profil

pytestmark = pytest.mark.django_db


@pytest.fixture
def referentiels():
    call_command("charger_referentiels", verbosity=0)


def test_la_demo_cree_un_compte_par_role_et_onze_ateliers_sans_doublon(
    referentiels, settings, capsys
):
    settings.DEBUG = True
    call_command("charger_demo")
    sortie = capsys.readouterr().out
    for _ in range(2):
        call_command("charger_demo")
        call_command("charger_demo_candidatures")
        call_command("charger_demo_marches")
        call_command("charger_demo_livrables")
    from candidatures.models import PreCandidature
    from marches.models import AccordCadre, MarcheSubsequent, TitulaireAccordCadre

    assert PreCandidature.objects.count() == 11
    assert all(p.thematiques.count() == 2 for p in PreCandidature.objects.all())
    assert Atelier.objects.count() == 11
    # Each stage takes its own steps: the candidature's up to eligibility, then the marché's
    # (consultation, analysis, notification), then the accompagnement's sessions.
    assert sorted(Atelier.objects.values_list("phase", flat=True)) == sorted(
        [
            Phase.PRE_CANDIDATURE,
            Phase.CANDIDATURE,
            Phase.INSTRUCTION,
            Phase.MARCHE,
            Phase.MARCHE,
            Phase.CADRAGE,
            Phase.SESSION_1,
            Phase.SESSION_2,
            Phase.SESSION_3,
            Phase.RESTITUTION,
            Phase.CLOTURE,
        ]
    )
    assert len(set(Atelier.objects.values_list("phase", flat=True))) == 10
    en_marche = Atelier.objects.filter(phase=Phase.MARCHE)
    assert {a.intitule.split(" :")[0] for a in en_marche} == {"Pays Basque", "Vitré Communauté"}
    S = MarcheSubsequent.Statut
    assert sorted(
        (m.atelier.intitule.split(" :")[0], m.statut)
        for m in MarcheSubsequent.objects.select_related("atelier")
    ) == [
        ("Arles-Crau-Camargue", S.NOTIFIE),
        ("Cotentin", S.NOTIFIE),
        ("Dunkerque", S.NOTIFIE),
        ("Grand Besançon", S.NOTIFIE),
        ("Pays Basque", S.EN_CONSULTATION),
        ("Roannais Agglomération", S.NOTIFIE),
        ("Sète Agglopôle Méditerranée", S.NOTIFIE),
        ("Vitré Communauté", S.EN_ANALYSE),
    ]
    cloture = Atelier.objects.get(phase=Phase.CLOTURE)
    assert cloture.intitule.startswith("Grand Besançon")
    assert cloture.groupement.nom == "Groupement 5 — Équipe démo Piémont (fictif)"
    assert cloture.debut_accompagnement < cloture.fin_accompagnement
    arles = Atelier.objects.get(phase=Phase.SESSION_2)
    assert arles.groupement.nom == "Groupement 1 — Alphaville"
    assert AccordCadre.objects.count() == 2
    assert TitulaireAccordCadre.objects.count() == 6
    assert Organisation.objects.groupements().count() == 5
    assert [
        MembreGroupement.objects.filter(groupement__nom__startswith=f"Groupement {n}").count()
        for n in (1, 2, 3, 4, 5)
    ] == [6, 3, 7, 3, 4]
    # The teams the demo invents say so, in their name and in each of their firms'.
    for groupement in Organisation.objects.groupements().filter(nom__contains="démo"):
        assert groupement.nom.endswith("(fictif)")
        assert all(m.nom.endswith("(fictif)") for m in groupement.membres_groupement.all())
    roles = {
        email: profil(Utilisateur.objects.get(email=email))
        for email in [
            "collectivite@demo.atelier-local.test",
            "ddt@demo.atelier-local.test",
            "dreal@demo.atelier-local.test",
            "dgaln@demo.atelier-local.test",
            "groupement@demo.atelier-local.test",
        ]
    }
    assert [p.roles for p in roles.values()] == [
        {"collectivite"},
        {"service_etat"},
        {"service_etat"},
        {"dgaln"},
        {"groupement"},
    ]
    assert Utilisateur.objects.get(email="admin@demo.atelier-local.test").is_superuser
    for email in roles:
        assert email in sortie
    besancon = Atelier.objects.get(intitule__startswith="Grand Besançon")
    # Each of its steps, one line each, in the order they were taken: its candidature (four
    # phase changes and three signed letters), its marché from opening to notification (which
    # enters the cadrage), its cadrage recorded then closed (which starts session 1), then its
    # sessions up to the restitution: each planned, its pilot and eight guests invited,
    # convened and held (which moves the atelier on, ADR 0016), its attendance recorded, its
    # compte-rendu written with two photos and validated, two inter-ateliers; then its livrables
    # (its livret's four parts written in the portal and its three images, seven versions, two
    # sent back with their comments, three avis, DGALN's accord on the livret, five validations
    # that make four tranches payable, three payments), its restitution and its clôture.
    journal = Evenement.objects.filter(atelier=besancon).order_by("date", "pk")
    assert journal.count() == 109
    assert journal.filter(code="session.presences_relevees").count() == 3
    # Its accompagnement went past 12 months; the night job after its clôture cleared that.
    from ateliers.models import Alerte

    alertes = Alerte.objects.filter(atelier=besancon)
    assert [(a.nature, a.resolue_le is not None) for a in alertes] == [("douze_mois", True)]
    assert journal.exclude(phase_apres="").count() == 10
    assert journal.filter(code="cadrage.clos", phase_apres=Phase.SESSION_1).count() == 1
    assert list(journal.filter(code="session.tenue").values_list("phase_apres", flat=True)) == [
        Phase.SESSION_2,
        Phase.SESSION_3,
        Phase.RESTITUTION,
    ]
    assert journal.filter(code__startswith="courrier.").count() == 3
    assert journal.filter(code="marche.ouvert", phase_apres=Phase.MARCHE).count() == 1
    assert journal.filter(code="marche.notifie", phase_apres=Phase.CADRAGE).count() == 1
    assert journal.filter(code="offre.enregistree").count() == 2
    assert list(journal.values_list("code", flat=True))[-2:] == [
        "restitution.enregistree",
        "cloture.prononcee",
    ]
    assert journal.filter(code="livrable.depose").count() == 7
    assert journal.filter(code="livrable.valide").count() == 5
    from livrables.models import Livrable, TypeLivrable, VersionLivrable

    assert set(
        Livrable.objects.filter(atelier=besancon, publiable=True).values_list("type", flat=True)
    ) == {TypeLivrable.LIVRET, TypeLivrable.FEUILLE_ROUTE}
    livret = VersionLivrable.objects.get(livrable__atelier=besancon, livrable__type="livret")
    assert livret.mode == VersionLivrable.Mode.REDIGE
    # The feuille de route was written in the portal, and the livret prints its actions.
    feuille = VersionLivrable.objects.filter(
        livrable__atelier=besancon, livrable__type="feuille_route"
    ).latest("numero")
    titres = [a["titre"] for a in feuille.contenu["feuille_route"]["actions"]]
    assert len(titres) == 15
    assert sorted(a["titre"] for a in livret.contenu["livret"]["actions"]) == sorted(titres)
    assert [p["cle"] for p in livret.contenu["parties"]] == [
        "edito",
        "temoignages",
        "enseignements",
        "perspectives",
    ]
    etats = set(Livrable.objects.values_list("statut", flat=True))
    assert etats == set(Livrable.Statut.values)
    dates = list(journal.values_list("date", flat=True))
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert not journal.filter(code="").exists()
    assert Utilisateur.objects.get(email="ddt@demo.atelier-local.test").check_password(
        "demo-atelier-local"
    )


def test_la_demo_refuse_la_production(referentiels, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("charger_demo")
