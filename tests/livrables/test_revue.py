"""A livrable's review through its services: the dépôt in versions, the comments and the
corrections, the validation that releases its tranche once, the avis and DGALN's accord;
every transition allowed and refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ateliers.models import Evenement, Phase
from ateliers.services import ActionImpossible
from comptes.models import Courriel
from livrables.models import (
    Avis,
    CodeLivrable,
    Commentaire,
    Livrable,
    PartieRedigee,
    TypeLivrable,
    VersionLivrable,
)
from livrables.selectors import livrable_de, livrables_de
from livrables.services import (
    accord_donner,
    avis_donner,
    commentaire_ecrire,
    corrections_demander,
    livrable_ouvrir,
    livrable_valider,
    version_deposer,
)
from marches.models import Jalon, Tranche
from tests.documents.fichiers_hostiles import pdf_une_page

pytestmark = pytest.mark.django_db

S = Livrable.Statut
NOTE = TypeLivrable.NOTE_CADRAGE


def pdf(nom="note.pdf"):
    return SimpleUploadedFile(nom, pdf_une_page(), content_type="application/pdf")


def deposer(liv, type=NOTE, **kwargs):
    livrable = livrable_de(liv.atelier, type)
    kwargs.setdefault("fichier", pdf())
    return version_deposer(livrable=livrable, par=liv.groupement, vu=livrable.statut, **kwargs)


def tranche(liv, jalon):
    return Tranche.objects.get(execution=liv.execution, jalon=jalon)


# The states.

SOURCES = {
    "deposer": [S.ATTENDU, S.CORRECTIONS_DEMANDEES],
    "demander_corrections": [S.DEPOSE],
    "valider": [S.DEPOSE],
}


def test_les_transitions_sont_celles_du_tableau():
    declarees = {t.name for t in Livrable._meta.get_field("statut").get_all_transitions(Livrable)}
    assert declarees == set(SOURCES)


@pytest.mark.parametrize(("transition", "statut"), [(t, s) for t in SOURCES for s in S])
def test_transition_permise_ou_refusee(liv, transition, statut):
    livrable = livrable_ouvrir(atelier=liv.atelier, type=NOTE)
    Livrable.objects.filter(pk=livrable.pk).update(statut=statut, valide_le=timezone.now())
    livrable = Livrable.objects.get(pk=livrable.pk)
    arguments = {"valideur": liv.pilote} if transition == "valider" else {}
    if statut in SOURCES[transition]:
        getattr(livrable, transition)(**arguments)
    else:
        with pytest.raises(TransitionNotAllowed):
            getattr(livrable, transition)(**arguments)


def test_les_cinq_livrables_sont_attendus_avec_leur_date(liv):
    cinq = livrables_de(liv.atelier)
    assert [c.type for c in cinq] == list(TypeLivrable)
    assert all(c.livrable.statut == S.ATTENDU and c.livrable.pk is None for c in cinq)
    assert all(c.echeance is not None for c in cinq)


# The dépôt.


def test_le_groupement_depose_un_pdf_et_le_pilote_est_prevenu(liv):
    version = deposer(liv, message="Première version.")
    livrable = Livrable.objects.get(atelier=liv.atelier, type=NOTE)
    assert livrable.statut == S.DEPOSE
    assert version.numero == 1 and version.mode == VersionLivrable.Mode.FICHIER
    assert version.fichier.proprietaire == livrable
    assert Evenement.objects.filter(code=CodeLivrable.DEPOSE, atelier=liv.atelier).count() == 1
    courriels = Courriel.objects.filter(gabarit="livrable_depose")
    assert list(courriels.values_list("destinataire", flat=True)) == [liv.pilote.email]


@pytest.mark.parametrize("qui", ["pilote", "porteuse", "dgaln", "dreal", "autre_groupement"])
def test_seul_le_groupement_titulaire_depose(liv, qui):
    livrable = livrable_de(liv.atelier, NOTE)
    with pytest.raises(PermissionDenied):
        version_deposer(livrable=livrable, par=getattr(liv, qui), vu=S.ATTENDU, fichier=pdf())
    assert not Livrable.objects.exists()


def test_rien_ne_se_depose_dans_un_atelier_clos(liv):
    liv.atelier.__class__.objects.filter(pk=liv.atelier.pk).update(phase=Phase.CLOTURE)
    liv.atelier.refresh_from_db()
    with pytest.raises(ActionImpossible, match="ses livrables ne changent plus"):
        deposer(liv)


def test_un_livrable_redige_vide_est_refuse(liv):
    with pytest.raises(ActionImpossible, match="Rien n'est encore rédigé"):
        deposer(liv, fichier=None)
    assert not VersionLivrable.objects.exists()


def test_un_livrable_redige_fige_ses_parties_et_demande_son_pdf(
    liv, django_capture_on_commit_callbacks
):
    livrable = livrable_ouvrir(atelier=liv.atelier, type=NOTE)
    PartieRedigee.objects.create(
        livrable=livrable, cle="methodologie", titre="Méthodologie", texte="Trois temps."
    )
    with django_capture_on_commit_callbacks() as rappels:
        version = deposer(liv, fichier=None)
    assert version.mode == VersionLivrable.Mode.REDIGE
    assert version.contenu["parties"][0]["texte"] == "Trois temps."
    assert rappels  # the render is queued after commit
    PartieRedigee.objects.filter(livrable=livrable).update(texte="Changé après.")
    version.refresh_from_db()
    assert version.contenu["parties"][0]["texte"] == "Trois temps."


def test_une_page_perimee_ne_depose_pas(liv):
    deposer(liv)
    livrable = livrable_de(liv.atelier, NOTE)
    with pytest.raises(ActionImpossible):
        version_deposer(livrable=livrable, par=liv.groupement, vu=S.ATTENDU, fichier=pdf())
    assert VersionLivrable.objects.count() == 1


# Corrections.


def test_corrections_puis_nouvelle_version_qui_repond_a_chaque_commentaire(liv):
    deposer(liv)
    livrable = livrable_de(liv.atelier, NOTE)
    c1 = commentaire_ecrire(livrable=livrable, par=liv.pilote, texte="Page 2 : dates ?", page=2)
    c2 = commentaire_ecrire(livrable=livrable, par=liv.pilote, texte="L'équipe manque.")
    livrable = corrections_demander(livrable=livrable, par=liv.pilote, vu=S.DEPOSE)
    assert livrable.statut == S.CORRECTIONS_DEMANDEES
    destinataires = Courriel.objects.filter(gabarit="livrable_corrections")
    assert list(destinataires.values_list("destinataire", flat=True)) == [liv.groupement.email]
    with pytest.raises(ActionImpossible, match="1 sans réponse"):
        deposer(liv, reponses={c1.pk: "Corrigé."})
    version = deposer(liv, reponses={c1.pk: "Corrigé.", c2.pk: "Ajoutée."})
    assert version.numero == 2
    c1.refresh_from_db()
    assert c1.reponse == "Corrigé." and c1.repondu_dans == version
    assert Commentaire.objects.count() == 2  # they stay in the history


def test_pas_de_corrections_sans_commentaire(liv):
    deposer(liv)
    livrable = livrable_de(liv.atelier, NOTE)
    with pytest.raises(ActionImpossible, match="au moins un commentaire"):
        corrections_demander(livrable=livrable, par=liv.pilote, vu=S.DEPOSE)
    assert Livrable.objects.get(pk=livrable.pk).statut == S.DEPOSE


@pytest.mark.parametrize("qui", ["groupement", "porteuse", "dgaln", "dreal"])
def test_seul_le_pilote_commente_et_demande_des_corrections(liv, qui):
    deposer(liv)
    livrable = livrable_de(liv.atelier, NOTE)
    with pytest.raises(PermissionDenied):
        commentaire_ecrire(livrable=livrable, par=getattr(liv, qui), texte="Non.")
    with pytest.raises(PermissionDenied):
        corrections_demander(livrable=livrable, par=getattr(liv, qui), vu=S.DEPOSE)


# Validation and the tranche.


def test_la_validation_libere_la_tranche_une_seule_fois(liv):
    deposer(liv)
    avant = Courriel.objects.filter(gabarit="tranche_exigible").count()
    livrable = livrable_de(liv.atelier, NOTE)
    livrable_valider(livrable=livrable, par=liv.pilote, vu=S.DEPOSE)
    assert tranche(liv, Jalon.NOTE_CADRAGE).statut == Tranche.Statut.EXIGIBLE
    assert tranche(liv, Jalon.LIVRABLES_FINAUX).statut == Tranche.Statut.PREVUE
    with pytest.raises(ActionImpossible):
        livrable_valider(livrable=livrable, par=liv.pilote, vu=S.DEPOSE)
    exigibles = Tranche.objects.filter(statut=Tranche.Statut.EXIGIBLE).exclude(jalon=Jalon.AVANCE)
    assert exigibles.count() == 1
    exigible = Courriel.objects.filter(gabarit="tranche_exigible")
    assert exigible.count() == avant + 1
    assert exigible.order_by("-pk").first().destinataire == liv.pilote.email


def test_le_dernier_livrable_final_libere_les_livrables_finaux(liv):
    finaux = [t for t in TypeLivrable if t != NOTE]
    for type in finaux:
        deposer(liv, type=type)
    livret = livrable_de(liv.atelier, TypeLivrable.LIVRET)
    accord_donner(livrable=livret, par=liv.dgaln)
    for type in finaux:
        assert tranche(liv, Jalon.LIVRABLES_FINAUX).statut == Tranche.Statut.PREVUE
        livrable_valider(livrable=livrable_de(liv.atelier, type), par=liv.pilote, vu=S.DEPOSE)
    assert tranche(liv, Jalon.LIVRABLES_FINAUX).statut == Tranche.Statut.EXIGIBLE


def test_le_livret_attend_l_accord_de_la_dgaln(liv):
    deposer(liv, type=TypeLivrable.LIVRET)
    livret = livrable_de(liv.atelier, TypeLivrable.LIVRET)
    with pytest.raises(ActionImpossible, match="accord de la DGALN"):
        livrable_valider(livrable=livret, par=liv.pilote, vu=S.DEPOSE)
    with pytest.raises(PermissionDenied):
        accord_donner(livrable=livret, par=liv.pilote)
    accord_donner(livrable=livret, par=liv.dgaln)
    with pytest.raises(ActionImpossible, match="déjà donné"):
        accord_donner(livrable=livret, par=liv.dgaln)
    livret = livrable_valider(livrable=livret, par=liv.pilote, vu=S.DEPOSE)
    assert livret.statut == S.VALIDE and livret.valide_par == liv.pilote


@pytest.mark.parametrize("qui", ["groupement", "porteuse", "dgaln", "dreal"])
def test_seul_le_pilote_valide(liv, qui):
    deposer(liv)
    livrable = livrable_de(liv.atelier, NOTE)
    with pytest.raises(PermissionDenied):
        livrable_valider(livrable=livrable, par=getattr(liv, qui), vu=S.DEPOSE)
    assert tranche(liv, Jalon.NOTE_CADRAGE).statut == Tranche.Statut.PREVUE


# The avis.


def test_la_collectivite_donne_son_avis_une_fois_par_version(liv):
    deposer(liv)
    livrable = livrable_de(liv.atelier, NOTE)
    collectivite = liv.atelier.collectivites.get()
    avis_donner(livrable=livrable, par=liv.porteuse, collectivite=collectivite, sens="reserves")
    assert Avis.objects.get().sens == Avis.Sens.RESERVES
    assert Courriel.objects.filter(gabarit="livrable_avis", destinataire=liv.pilote.email).exists()
    with pytest.raises(ActionImpossible, match="déjà donné"):
        avis_donner(
            livrable=livrable, par=liv.porteuse, collectivite=collectivite, sens="favorable"
        )
    with pytest.raises(PermissionDenied):
        avis_donner(livrable=livrable, par=liv.pilote, collectivite=collectivite, sens="favorable")


def test_redaction_vide_dit_ce_que_dirait_le_contenu_assemble(liv):
    """The livrable page asks `redaction_vide` instead of assembling the content (a
    feuille de route of 150 actions frozen for one boolean): both say the same for each type,
    empty or not."""
    from livrables.contenus import contenu_actuel, contenu_vide, redaction_vide
    from tests.livrables.feuille_route_aide import brouillon

    def meme_reponse(livrable):
        attendu = contenu_vide(contenu_actuel(livrable))
        assert redaction_vide(livrable) is attendu
        return attendu

    non_ouvert = Livrable(atelier=liv.atelier, type=TypeLivrable.RAPPORT_FINAL)
    assert meme_reponse(non_ouvert) is True
    for type_ in TypeLivrable:
        meme_reponse(livrable_ouvrir(atelier=liv.atelier, type=type_))
    rapport = livrable_de(liv.atelier, TypeLivrable.RAPPORT_FINAL)
    partie = PartieRedigee.objects.create(livrable=rapport, cle="synthese", titre="Synthèse")
    assert meme_reponse(rapport) is True
    partie.texte = "  Trois temps. "
    partie.save()
    assert meme_reponse(rapport) is False
    feuille = brouillon(liv.atelier, nombre=1)
    assert meme_reponse(feuille) is False
