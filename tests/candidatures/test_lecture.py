"""note_deposee: the deposited note as the later stages read it, frozen, in plain dataclasses."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from ateliers.models import Phase
from candidatures.models import Candidature, Courrier, Ressources, Thematique
from candidatures.selectors import NoteDeposee, PorteurNote, TerritoireNote, note_deposee
from candidatures.services import (
    candidature_demander_complements,
    candidature_deposer,
    partie_enregistrer,
)
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courriers
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import DepartementFactory, EPCIFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier():
    return AtelierFactory(
        phase=Phase.CANDIDATURE,
        intitule="Vallée",
        collectivites=[OrganisationFactory(nom="Communauté du Val", siren="200000101")],
        departements=[DepartementFactory(code="47", nom="Lot-et-Garonne")],
    )


PORTEUR = {
    "organisation": "Communauté du Val",
    "siren": "200000101",
    "elu": "Camille Essai, présidente",
    "referent": "Lou Essai",
    "referent_fonction": "Chargée de mission",
    "referent_courriel": "lou@val.test",
    "referent_telephone": "0102030405",
}


def _remplie(atelier, porteur):
    epci = EPCIFactory(siren="200000202", nom="CC du Val de Garonne", departement_id="47")
    themes = list(Thematique.objects.order_by("pk")[:2])
    candidature = completer(
        Candidature.objects.get(atelier=atelier),
        porteur,
        porteurs={
            "collectivites": [PORTEUR],
            "partenaires": [{"nom": "CAUE 47", "role": "Conseil"}],
            "service_pilote": "DDT de Lot-et-Garonne",
            "referent_etat": "Claire Martin",
        },
        localisation={
            "echelle": "intercommunale",
            "departements": list(atelier.departements.all()),
            "epcis": [epci],
            "communes": "Marmande, Tonneins",
            "population": 42_000,
            "superficie": Decimal("412.5"),
            "description": "La vallée entre Marmande et Tonneins.",
        },
        objet={
            "titre": "Habiter la vallée inondable",
            "thematiques": themes,
            "problematique": "Comment habiter la vallée ?",
            "enjeux": "Habitat et crues.",
        },
        objectifs={
            "objectifs": [{"intitule": "Une stratégie", "description": "Partagée"}],
            "questions": "Où construire ?",
        },
        ressources={
            "acteurs": [{"nom": "Conservatoire", "type": "association", "role": "Témoin"}],
            "documents": [
                {"titre": "PPRI", "type": "etude", "date": "2024-03-02", "lien": "https://x.test/"}
            ],
        },
        **{
            "dynamiques-amenagement": {
                "documents_planification": [
                    {"type": "plui", "intitule": "PLUi", "etat": "en_revision", "date": ""}
                ]
            }
        },
    )
    deposer_courriers(candidature, porteur)
    return candidature, themes


def test_avant_le_premier_depot_il_n_y_a_pas_de_note_deposee(atelier, candidature, porteur):
    completer(candidature, porteur)
    assert note_deposee(atelier) is None
    assert note_deposee(AtelierFactory()) is None


def test_la_note_deposee_dit_ce_que_la_version_a_fige(atelier, candidature, porteur):
    candidature, themes = _remplie(atelier, porteur)
    version = candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)

    note = note_deposee(atelier)
    assert isinstance(note, NoteDeposee)
    assert (note.numero, note.depose_le) == (1, version.depose_le)
    assert note.titre == "Habiter la vallée inondable"
    assert [(t.pk, t.libelle) for t in note.thematiques] == [(t.pk, t.libelle) for t in themes]
    assert (note.problematique, note.enjeux) == ("Comment habiter la vallée ?", "Habitat et crues.")
    assert note.porteurs == (PorteurNote(**PORTEUR),)
    assert note.service_pilote == "DDT de Lot-et-Garonne"
    assert note.referent_etat.nom == "Claire Martin"
    assert [(p.nom, p.role) for p in note.partenaires] == [("CAUE 47", "Conseil")]
    territoire = note.territoire
    assert isinstance(territoire, TerritoireNote)
    assert (territoire.echelle, territoire.echelle_libelle) == ("intercommunale", "Intercommunale")
    assert [(d.code, d.nom) for d in territoire.departements] == [("47", "Lot-et-Garonne")]
    assert [(e.siren, e.nom) for e in territoire.epcis] == [("200000202", "CC du Val de Garonne")]
    assert territoire.communes == "Marmande, Tonneins"
    assert (territoire.population, territoire.superficie) == (42_000, Decimal("412.5"))
    assert territoire.perimetre_fichier_id is None
    assert [(o.intitule, o.description) for o in note.objectifs] == [("Une stratégie", "Partagée")]
    assert note.questions == "Où construire ?"
    (acteur,) = note.acteurs
    assert (acteur.type, acteur.type_libelle) == ("association", "Association")
    (ressource,) = note.ressources
    assert (ressource.titre, ressource.date, ressource.lien) == (
        "PPRI",
        datetime.date(2024, 3, 2),
        "https://x.test/",
    )
    assert ressource.type_libelle == Ressources.TypeRessource.ETUDE.label
    (plan,) = note.dynamiques_amenagement.documents_planification
    assert (plan.type_libelle, plan.etat_libelle, plan.date) == ("PLUi", "En révision", None)
    assert note.dynamiques_territoire.demographie
    assert [c.type for c in note.courriers] == list(Courrier.Type)
    assert [c.fichier_id for c in note.courriers] == [
        c["fichier_id"] for c in version.contenu["courriers"]
    ]

    # Frozen, and made of plain values only: another stage can keep it, never write through it.
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.titre = "Autre"

    def valeurs(objet):
        if dataclasses.is_dataclass(objet):
            for champ in dataclasses.fields(objet):
                yield from valeurs(getattr(objet, champ.name))
        elif isinstance(objet, tuple):
            for element in objet:
                yield from valeurs(element)
        else:
            yield objet

    simples = (str, int, Decimal, datetime.date, type(None))
    assert all(isinstance(v, simples) for v in valeurs(note))


def test_la_note_deposee_est_celle_de_la_derniere_version(atelier, candidature, porteur):
    candidature, _ = _remplie(atelier, porteur)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    dgaln = UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)])
    candidature = Candidature.objects.get(pk=candidature.pk)
    candidature_demander_complements(
        candidature=candidature, vu=candidature.statut, par=dgaln, pieces=["objet"], message="…"
    )
    objet = Candidature.objects.get(pk=candidature.pk).objet
    objet = partie_enregistrer(
        partie=objet,
        champs={"titre": "Vivre avec la Garonne"},
        version_lue=objet.version,
        par=porteur,
    )
    # Saved, not deposited: the deposited note has not changed.
    assert note_deposee(atelier).titre == "Habiter la vallée inondable"
    candidature = Candidature.objects.get(pk=candidature.pk)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    note = note_deposee(atelier)
    assert (note.numero, note.titre) == (2, "Vivre avec la Garonne")


def test_la_note_deposee_se_lit_en_une_requete(
    atelier, candidature, porteur, django_assert_num_queries
):
    candidature, _ = _remplie(atelier, porteur)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    with django_assert_num_queries(1):
        note_deposee(atelier)
