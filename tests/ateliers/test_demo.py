import pytest
from django.core.management import CommandError, call_command

from ateliers.models import Atelier, Evenement, Phase
from comptes.models import MembreGroupement, Organisation, Utilisateur
from comptes.selectors import profil

pytestmark = pytest.mark.django_db


@pytest.fixture
def referentiels():
    call_command("charger_referentiels", verbosity=0)


def test_la_demo_cree_un_compte_par_role_et_six_ateliers_sans_doublon(
    referentiels, settings, capsys
):
    settings.DEBUG = True
    call_command("charger_demo")
    sortie = capsys.readouterr().out
    call_command("charger_demo")
    call_command("charger_demo_candidatures")
    call_command("charger_demo_candidatures")
    from candidatures.models import PreCandidature

    assert PreCandidature.objects.count() == 6
    assert all(p.thematiques.count() == 2 for p in PreCandidature.objects.all())
    assert Atelier.objects.count() == 6
    assert len(set(Atelier.objects.values_list("phase", flat=True))) == 6
    assert Atelier.objects.get(phase=Phase.CLOTURE).groupement.nom == "Groupement 3 — INterland"
    assert Organisation.objects.groupements().count() == 3
    assert [
        MembreGroupement.objects.filter(groupement__nom__startswith=f"Groupement {n}").count()
        for n in (1, 2, 3)
    ] == [6, 3, 7]
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
    cloture = Atelier.objects.get(phase=Phase.CLOTURE)
    # Its eleven steps, one line each, and the three signed letters of its dossier, each
    # deposited through the services.
    journal = Evenement.objects.filter(atelier=cloture)
    assert journal.count() == 14
    assert journal.exclude(phase_apres="").count() == 3
    assert journal.filter(code__startswith="courrier.").count() == 3
    assert not journal.filter(code="").exists()
    assert Utilisateur.objects.get(email="ddt@demo.atelier-local.test").check_password(
        "demo-atelier-local"
    )


def test_la_demo_refuse_la_production(referentiels, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("charger_demo")
