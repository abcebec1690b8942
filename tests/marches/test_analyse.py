"""The analysis services: each member's marks and the collegial ones (with their history), the
rapport d'analyse and its signatures; and the builder of a marché under analysis that the
other analysis and attribution tests share."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from ateliers.models import Evenement
from ateliers.services import ActionImpossible
from comptes.models import Organisation, Utilisateur
from documents.models import Document
from marches.models import (
    CodeAnalyse,
    Consultation,
    MarcheSubsequent,
    NoteOffre,
    Offre,
    RapportAnalyse,
    SignatureRapport,
    VersionCctp,
)
from marches.selectors import analyse_de
from marches.services import offre_noter, rapport_produire, rapport_signer
from marches.services.analyse import criteres_notes
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.factories import (
    ConsultationFactory,
    MarcheFactory,
    OffreFactory,
    VersionCctpFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
S = MarcheSubsequent.Statut
EN_ANALYSE = S.EN_ANALYSE
# Three offers whose prices and marks never coincide, so that one foreign figure is findable.
MONTANTS = [D("81234.56"), D("92345.67"), D("103456.78")]
NOTES = [(4, 3, 4), (3, 4, 3), (5, 2, 2)]


@dataclass
class Jury:
    """A marché under analysis, its round, its three offers and everyone around it."""

    marche: MarcheSubsequent
    consultation: Consultation
    version: VersionCctp
    offres: list[Offre]
    pilote: Utilisateur
    porteuse: Utilisateur
    operateur: Utilisateur
    dgaln: Utilisateur
    autre_collectivite: Utilisateur
    membres: list[Utilisateur]  # one user of each offer's groupement, in the offers' order
    consulte_sans_offre: Utilisateur


def jury(nombre: int = 3, montants: list[Decimal] | None = None) -> Jury:
    operateur = OrganisationFactory(operateur=True)
    marche = MarcheFactory(statut=EN_ANALYSE, atelier__operateur=operateur)
    groupements = [OrganisationFactory(groupement=True) for _ in range(nombre)]
    silencieux = OrganisationFactory(groupement=True)
    consultation = ConsultationFactory(
        marche=marche,
        consultes=[*groupements, silencieux],
        date_limite=timezone.now() - datetime.timedelta(days=1),
        close_le=timezone.now(),
    )
    version = VersionCctpFactory(consultation=consultation)
    # Beyond three, round prices: SQLite checks TTC = HT + TVA in floating point.
    montants = montants or (
        MONTANTS[:nombre] if nombre <= 3 else [D(80000 + 1000 * i) for i in range(nombre)]
    )
    offres = []
    for groupement, ht in zip(groupements, montants, strict=True):
        tva = (ht * D("0.2")).quantize(D("0.01"))
        offres.append(
            OffreFactory(
                version_cctp=version,
                groupement=groupement,
                montant_ht=ht,
                montant_tva=tva,
                montant_ttc=ht + tva,
            )
        )
    return Jury(
        marche=marche,
        consultation=consultation,
        version=version,
        offres=offres,
        pilote=UtilisateurFactory(organisations=[marche.atelier.service_pilote]),
        porteuse=UtilisateurFactory(organisations=[marche.atelier.collectivites.first()]),
        operateur=UtilisateurFactory(organisations=[operateur]),
        dgaln=membre(dgaln=True),
        autre_collectivite=membre(),
        membres=[UtilisateurFactory(organisations=[g]) for g in groupements],
        consulte_sans_offre=UtilisateurFactory(organisations=[silencieux]),
    )


def noter(j: Jury, offre: Offre, valeurs, *, par=None, collegiale=True, justification=None):
    criteres = criteres_notes(offre)
    return offre_noter(
        offre=offre,
        par=par or j.pilote,
        vu=MarcheSubsequent.objects.get(pk=j.marche.pk).statut,
        notes={
            c.pk: (D(v), justification or f"Appréciation {c.libelle} {v}")
            for c, v in zip(criteres, valeurs, strict=True)
        },
        collegiale=collegiale,
    )


def noter_tout(j: Jury) -> None:
    for i, offre in enumerate(j.offres):
        noter(j, offre, NOTES[i % 3])


def texte_pdf(document: Document) -> str:
    document.refresh_from_db()
    assert document.statut == Document.Statut.PRET, document.erreur
    with document.fichier.open("rb") as flux:
        pages = PdfReader(io.BytesIO(flux.read())).pages
        return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_chaque_membre_note_pour_lui_et_le_pilote_enregistre_les_notes_collegiales():
    j = jury()
    offre = j.offres[0]
    noter(j, offre, (2, 2, 2), par=j.porteuse, collegiale=False)
    noter(j, offre, (3, 3, 3), par=j.operateur, collegiale=False)
    noter(j, offre, (1, 1, 1), par=j.dgaln, collegiale=False)
    noter(j, offre, (4, 3, 4))
    notes = NoteOffre.objects.filter(offre=offre)
    assert notes.filter(collegiale=False).count() == 9
    assert notes.filter(collegiale=True).count() == 3
    porteuse = notes.filter(auteur=j.porteuse).first()
    assert porteuse.organisation == j.marche.atelier.collectivites.first()
    analyse = analyse_de(j.consultation)
    ligne = analyse.ligne(offre.pk)
    # Only the collegial marks count: 30×4/5 + 15×3/5 + 15×4/5 = 45, and the cheapest price 40.
    assert ligne.resultat.total == D("85.00")
    assert len(analyse.membres) == 3
    assert next(c.notes_membres for c in ligne.cellules if not c.critere.est_prix)[0] is not None
    codes = list(Evenement.objects.filter(objet_id=offre.pk).values_list("code", flat=True))
    assert codes.count(CodeAnalyse.NOTES_SAISIES) == 3
    assert codes.count(CodeAnalyse.NOTES_COLLEGIALES) == 1


def test_une_note_changee_garde_sa_valeur_precedente_dans_l_historique():
    j = jury()
    offre = j.offres[0]
    noter(j, offre, (2, 2, 2))
    avant = Evenement.objects.count()
    noter(j, offre, (2, 2, 2))  # unchanged: nothing written, no journal line
    assert Evenement.objects.count() == avant
    noter(j, offre, (4, 2, 2), justification="Revue après l'audition")
    methodo = NoteOffre.objects.get(offre=offre, collegiale=True, critere__libelle="Méthodologie")
    assert methodo.valeur == D(4)
    assert [h.valeur for h in methodo.history.order_by("history_date")] == [D(2), D(4)]


@pytest.mark.parametrize(
    ("qui", "collegiale", "permis"),
    [
        ("pilote", False, True),
        ("porteuse", False, True),
        ("operateur", False, True),
        ("dgaln", False, True),
        ("autre_collectivite", False, False),
        ("membre", False, False),
        ("pilote", True, True),
        ("porteuse", True, False),
        ("operateur", True, False),
        ("dgaln", True, False),
    ],
)
def test_qui_peut_noter(qui, collegiale, permis):
    j = jury()
    par = j.membres[0] if qui == "membre" else getattr(j, qui)
    if permis:
        noter(j, j.offres[0], (1, 1, 1), par=par, collegiale=collegiale)
    else:
        with pytest.raises(PermissionDenied):
            noter(j, j.offres[0], (1, 1, 1), par=par, collegiale=collegiale)


@pytest.mark.parametrize("statut", [S.EN_CONSULTATION, S.ATTRIBUE, S.NOTIFIE, S.INFRUCTUEUX])
def test_on_ne_note_que_pendant_l_analyse(statut):
    j = jury()
    MarcheSubsequent.objects.filter(pk=j.marche.pk).update(
        statut=statut, attributaire=j.offres[0].groupement
    )
    with pytest.raises(PermissionDenied):
        noter(j, j.offres[0], (1, 1, 1))


def test_une_note_hors_echelle_ou_sans_justification_est_refusee_exclue_non_notee():
    j = jury()
    with pytest.raises(ActionImpossible, match="entre 0 et 5"):
        noter(j, j.offres[0], (6, 1, 1))
    with pytest.raises(ActionImpossible, match="justifiez"):
        noter(j, j.offres[0], (1, 1, 1), justification=" ")
    Offre.objects.filter(pk=j.offres[1].pk).update(statut=Offre.Statut.HORS_DELAI)
    with pytest.raises(ActionImpossible, match="écartée"):
        noter(j, Offre.objects.get(pk=j.offres[1].pk), (1, 1, 1))
    assert not NoteOffre.objects.exists()


def test_la_page_vue_dans_un_autre_etat_refuse_la_note():
    j = jury()
    critere = criteres_notes(j.offres[0])[0]
    with pytest.raises(ActionImpossible, match="maintenant"):
        offre_noter(
            offre=j.offres[0],
            par=j.pilote,
            vu=S.EN_CONSULTATION,
            notes={critere.pk: (D(1), "x")},
            collegiale=True,
        )


def test_le_rapport_se_produit_une_fois_tout_note_et_le_jury_le_signe(
    django_capture_on_commit_callbacks,
):
    j = jury()
    with pytest.raises(ActionImpossible, match="Il manque 9 notes collégiales"):
        rapport_produire(consultation=j.consultation, par=j.pilote, vu=EN_ANALYSE)
    noter_tout(j)
    with pytest.raises(PermissionDenied):
        rapport_produire(consultation=j.consultation, par=j.porteuse, vu=EN_ANALYSE)
    with django_capture_on_commit_callbacks(execute=True):
        rapport = rapport_produire(consultation=j.consultation, par=j.pilote, vu=EN_ANALYSE)
    assert rapport.numero == 1
    texte = texte_pdf(rapport.document)
    for offre in j.offres:
        assert offre.groupement.nom in texte
    assert j.consultation.reference_place in texte
    assert "85,00" in texte and "ex æquo" not in texte
    assert "Appréciation Méthodologie 4" in texte
    assert "le demi vers le haut" in texte
    assert f"propose d'attribuer le marché subséquent à {j.offres[0].groupement.nom}" in texte
    with pytest.raises(ActionImpossible, match="reflète déjà"):
        rapport_produire(consultation=j.consultation, par=j.pilote, vu=EN_ANALYSE)

    for qui in (j.pilote, j.porteuse, j.operateur):
        rapport_signer(rapport=rapport, par=qui)
    assert set(rapport.signatures.values_list("organisation", flat=True)) == {
        j.marche.atelier.service_pilote_id,
        j.marche.atelier.collectivites.first().pk,
        j.marche.atelier.operateur_id,
    }
    collegue = UtilisateurFactory(organisations=[j.marche.atelier.service_pilote])
    with pytest.raises(ActionImpossible, match="déjà signé"):
        rapport_signer(rapport=rapport, par=collegue)
    for intrus in (j.dgaln, j.autre_collectivite, j.membres[0]):
        with pytest.raises(PermissionDenied):
            rapport_signer(rapport=rapport, par=intrus)
    assert Evenement.objects.filter(code=CodeAnalyse.RAPPORT_SIGNE).count() == 3
    assert Evenement.objects.filter(code=CodeAnalyse.RAPPORT_PRODUIT).count() == 1


def test_une_note_changee_apres_le_rapport_en_demande_une_nouvelle_edition():
    j = jury()
    noter_tout(j)
    rapport = rapport_produire(consultation=j.consultation, par=j.pilote, vu=EN_ANALYSE)
    noter(j, j.offres[2], (5, 5, 5), justification="Après l'audition")
    with pytest.raises(ActionImpossible, match="plus à jour"):
        rapport_signer(rapport=rapport, par=j.porteuse)
    nouveau = rapport_produire(consultation=j.consultation, par=j.pilote, vu=EN_ANALYSE)
    assert nouveau.numero == 2
    rapport_signer(rapport=nouveau, par=j.porteuse)
    with pytest.raises(ActionImpossible, match="plus à jour"):
        rapport_signer(rapport=RapportAnalyse.objects.get(pk=rapport.pk), par=j.operateur)
    assert SignatureRapport.objects.count() == 1


def test_les_ex_aequo_sont_dits_et_une_offre_exclue_sort_du_classement():
    # Same price, same marks: both first ex æquo; the third, late, is out of the ranking.
    j = jury(montants=[D(90000), D(90000), D(50000)])
    Offre.objects.filter(pk=j.offres[2].pk).update(
        statut=Offre.Statut.HORS_DELAI, motif="Reçue après la date limite."
    )
    noter(j, j.offres[0], (4, 4, 4))
    noter(j, j.offres[1], (4, 4, 4))
    analyse = analyse_de(j.consultation)
    a, b, c = analyse.lignes
    # 30×4/5 + 15×4/5 + 15×4/5 = 48, + 40 (90 000 is the lowest classable price) = 88,00
    assert a.resultat.total == b.resultat.total == D("88.00")
    assert (a.resultat.rang, b.resultat.rang) == (1, 1) and a.resultat.ex_aequo
    assert c.resultat.exclue and c.resultat.rang is None
    assert c.resultat.motif_exclusion == "Reçue après la date limite."
    assert analyse.complete and len(analyse.premiers) == 2


def test_l_analyse_se_lit_en_un_nombre_fixe_de_requetes(django_assert_max_num_queries):
    petit, grand = jury(3), jury(6)
    for j in (petit, grand):
        noter_tout(j)
        noter(j, j.offres[0], (1, 1, 1), par=j.porteuse, collegiale=False)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    comptes = []
    for j in (petit, grand):
        with CaptureQueriesContext(connection) as requetes:
            analyse_de(Consultation.objects.get(pk=j.consultation.pk))
        comptes.append(len(requetes.captured_queries))
    assert comptes[0] == comptes[1] <= 4


def test_un_membre_du_jury_est_une_organisation_de_l_atelier():
    j = jury()
    assert Organisation.objects.filter(pk=j.marche.atelier.operateur_id).exists()


def test_la_page_et_le_rapport_disent_les_ex_aequo_et_l_offre_hors_delai(
    client, django_capture_on_commit_callbacks
):
    import html

    from django.urls import reverse

    j = jury(montants=[D(90000), D(90000), D(50000)])
    Offre.objects.filter(pk=j.offres[2].pk).update(
        statut=Offre.Statut.HORS_DELAI, motif="Reçue après la date limite."
    )
    noter(j, j.offres[0], (4, 4, 4))
    noter(j, j.offres[1], (4, 4, 4))
    client.force_login(j.operateur)
    page = html.unescape(client.get(reverse("marches:analyse", args=[j.marche.pk])).text)
    assert page.count("ex æquo") >= 2 and "Écartée" in page
    assert "Reçue après la date limite." in page
    assert "Notes collégiales<span" not in page  # the opérateur marks for itself only
    with django_capture_on_commit_callbacks(execute=True):
        rapport = rapport_produire(consultation=j.consultation, par=j.pilote, vu=EN_ANALYSE)
    texte = texte_pdf(rapport.document)
    assert "dont 1 hors délai" in texte and "ex æquo" in texte
    assert "classées premières ex æquo" in texte
    assert "Non classée" in texte


def test_le_rapport_imprime_le_compte_rendu_des_auditions(django_capture_on_commit_callbacks):
    from marches.services import audition_enregistrer

    j = jury()
    noter_tout(j)
    audition_enregistrer(
        offre=j.offres[1],
        par=j.pilote,
        date=timezone.now() - datetime.timedelta(hours=3),
        participants="Lou Essai, DDT d'essai\nNoa Essai, mandataire",
        compte_rendu="Le groupement précise son calendrier des trois sessions.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        rapport = rapport_produire(consultation=j.consultation, par=j.pilote, vu=EN_ANALYSE)
    texte = texte_pdf(rapport.document)
    assert "Auditions" in texte
    assert "précise son calendrier des trois sessions" in texte
    assert "Noa Essai, mandataire" in texte
