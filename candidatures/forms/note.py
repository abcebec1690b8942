"""The forms of the note's parts, one class each, and the forms of their blocks' rows."""

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils.functional import lazy
from django.utils.text import format_lazy

from candidatures.forms._commun import (
    CASES_A_COCHER,
    EPCI_HORS_DEPARTEMENTS,
    CasesACocher,
    DateBorneeField,
    _choix,
    _suivre_les_departements,
)
from candidatures.forms.blocs import Bloc, FichierDeposeInput, LigneForm, libelles
from candidatures.forms.partie import PartieForm, case_retirer, champ_du_modele, fichier_du_modele
from candidatures.models import (
    DynamiquesAmenagement,
    DynamiquesTerritoire,
    Localisation,
    Objectifs,
    Objet,
    Porteurs,
    Ressources,
)
from documents.forms import FichierField
from documents.verification import Usage, texte_aide
from territoires.models import Departement

SIREN = RegexValidator(r"^\d{9}$", "Le SIREN compte 9 chiffres, sans espace.")

_COLLECTIVITE = libelles(Porteurs, "collectivites")


class CollectivitePorteuseLigne(LigneForm):
    organisation = forms.CharField(label=_COLLECTIVITE["organisation"], max_length=200)
    siren = forms.CharField(
        label=_COLLECTIVITE["siren"],
        max_length=9,
        validators=[SIREN],
        help_text="9 chiffres ; il figure sur l'annuaire de l'administration.",
    )
    elu = forms.CharField(
        label=_COLLECTIVITE["elu"],
        max_length=150,
        help_text="Prénom, nom et qualité (maire, président, vice-président chargé de…).",
    )
    referent = forms.CharField(label=_COLLECTIVITE["referent"], max_length=150)
    referent_fonction = forms.CharField(label=_COLLECTIVITE["referent_fonction"], max_length=150)
    referent_courriel = forms.EmailField(label=_COLLECTIVITE["referent_courriel"], max_length=254)
    referent_telephone = forms.CharField(label=_COLLECTIVITE["referent_telephone"], max_length=30)


_PARTENAIRE = libelles(Porteurs, "partenaires")


class PartenaireLigne(LigneForm):
    nom = forms.CharField(label=_PARTENAIRE["nom"], max_length=200)
    role = forms.CharField(label=_PARTENAIRE["role"], max_length=300)


class PorteursForm(PartieForm):
    modele = Porteurs
    ordre = Porteurs.CHAMPS
    blocs = {
        "collectivites": Bloc(Porteurs, "collectivites", CollectivitePorteuseLigne, max_lignes=40),
        "partenaires": Bloc(Porteurs, "partenaires", PartenaireLigne),
    }

    service_pilote = champ_du_modele(Porteurs, "service_pilote")
    referent_etat = champ_du_modele(Porteurs, "referent_etat")
    referent_etat_fonction = champ_du_modele(Porteurs, "referent_etat_fonction")
    referent_etat_courriel = champ_du_modele(Porteurs, "referent_etat_courriel")
    referent_etat_telephone = champ_du_modele(Porteurs, "referent_etat_telephone")
    operateur = champ_du_modele(Porteurs, "operateur")
    operateur_referent = champ_du_modele(Porteurs, "operateur_referent")


class LocalisationForm(PartieForm):
    modele = Localisation
    ordre = Localisation.CHAMPS

    echelle = champ_du_modele(Localisation, "echelle", widget=forms.RadioSelect)
    departements = champ_du_modele(
        Localisation,
        "departements",
        queryset=Departement.objects.select_related("region"),
        widget=CasesACocher,
        template_name=CASES_A_COCHER,
        help_text="Le ou les départements du périmètre.",
    )
    epcis = champ_du_modele(
        Localisation,
        "epcis",
        widget=CasesACocher,
        template_name=CASES_A_COCHER,
        help_text="Celles des départements choisis.",
        error_messages={"invalid_choice": EPCI_HORS_DEPARTEMENTS},
    )
    communes = champ_du_modele(Localisation, "communes", widget=forms.Textarea(attrs={"rows": 3}))
    population = champ_du_modele(Localisation, "population")
    # A French decimal comma: a text input, since a number input would refuse it.
    superficie = champ_du_modele(
        Localisation,
        "superficie",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        localize=True,
    )
    description = champ_du_modele(
        Localisation, "description", widget=forms.Textarea(attrs={"rows": 8})
    )
    perimetre = fichier_du_modele(Localisation, "perimetre")
    retirer_perimetre = case_retirer()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _suivre_les_departements(self)


class ObjetForm(PartieForm):
    modele = Objet
    ordre = Objet.CHAMPS

    titre = champ_du_modele(
        Objet,
        "titre",
        help_text="Court et parlant : à chaque dépôt, il devient l'intitulé de l'atelier, "
        "dans les listes, les courriels et tous ses documents. 200 caractères au plus.",
    )
    thematiques = champ_du_modele(Objet, "thematiques", widget=forms.CheckboxSelectMultiple)
    problematique = champ_du_modele(
        Objet, "problematique", widget=forms.Textarea(attrs={"rows": 8})
    )
    enjeux = champ_du_modele(Objet, "enjeux", widget=forms.Textarea(attrs={"rows": 8}))
    contexte = champ_du_modele(Objet, "contexte", widget=forms.Textarea(attrs={"rows": 4}))


_OBJECTIF = libelles(Objectifs, "objectifs")


class ObjectifLigne(LigneForm):
    intitule = forms.CharField(
        label=_OBJECTIF["intitule"],
        max_length=200,
        help_text="En une phrase, par exemple « Partager une stratégie face au recul du trait "
        "de côte ». 200 caractères au plus.",
    )
    description = forms.CharField(
        label=_OBJECTIF["description"],
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que cet objectif recouvre et à quoi l'on saura qu'il est atteint. "
        "2\u202f000 caractères au plus.",
    )


class ObjectifsForm(PartieForm):
    modele = Objectifs
    ordre = Objectifs.CHAMPS
    blocs = {"objectifs": Bloc(Objectifs, "objectifs", ObjectifLigne, max_lignes=15)}

    resultats = champ_du_modele(Objectifs, "resultats", widget=forms.Textarea(attrs={"rows": 6}))
    questions = champ_du_modele(Objectifs, "questions", widget=forms.Textarea(attrs={"rows": 6}))
    liens_demarches = champ_du_modele(
        Objectifs, "liens_demarches", widget=forms.Textarea(attrs={"rows": 4})
    )


_ACTEUR = libelles(Ressources, "acteurs")


class ActeurLigne(LigneForm):
    nom = forms.CharField(
        label=_ACTEUR["nom"],
        max_length=200,
        help_text="Une structure ou un groupe, par exemple « Conseil de développement », "
        "« Chambre d'agriculture », « Habitants du quartier de la gare ».",
    )
    type = forms.ChoiceField(
        label=_ACTEUR["type"], choices=_choix(Ressources.TypeActeur.choices, "Choisir un type")
    )
    role = forms.CharField(
        label=_ACTEUR["role"],
        max_length=300,
        help_text="Par exemple : participer aux sessions, être interrogé, fournir des données.",
    )


_DOCUMENT = libelles(Ressources, "documents")


class RessourceDocumentaireLigne(LigneForm):
    titre = forms.CharField(label=_DOCUMENT["titre"], max_length=300)
    type = forms.ChoiceField(
        label=_DOCUMENT["type"],
        choices=_choix(Ressources.TypeRessource.choices, "Choisir un type"),
    )
    # Already published, so not in the future; 1900 leaves room for old studies and maps.
    date = DateBorneeField(
        label=_DOCUMENT["date"],
        debut=datetime.date(1900, 1, 1),
        help_text="Date de publication ou de dernière mise à jour, au format jj/mm/aaaa.",
    )
    fichier = FichierField(
        label=_DOCUMENT["fichier"],
        usage=Usage.RESSOURCE,
        widget=FichierDeposeInput,
        help_text=format_lazy(
            "{}. Un fichier ou un lien ci-dessous. Le fichier n'est envoyé qu'avec le bouton "
            "« Enregistrer » : l'enregistrement automatique n'envoie pas les fichiers.",
            lazy(texte_aide, str)(Usage.RESSOURCE),
        ),
    )
    fichier_actuel = forms.CharField(widget=forms.HiddenInput, max_length=36)
    lien = forms.URLField(
        label=_DOCUMENT["lien"],
        max_length=500,
        assume_scheme="https",
        help_text="Si le document est en ligne : son adresse, par exemple "
        "https://www.exemple.fr/etude.pdf.",
    )


class RessourcesForm(PartieForm):
    modele = Ressources
    ordre = Ressources.CHAMPS
    blocs = {
        "acteurs": Bloc(Ressources, "acteurs", ActeurLigne, max_lignes=40),
        "documents": Bloc(Ressources, "documents", RessourceDocumentaireLigne, max_lignes=30),
    }

    moyens = champ_du_modele(Ressources, "moyens", widget=forms.Textarea(attrs={"rows": 5}))
    calendrier = champ_du_modele(Ressources, "calendrier", widget=forms.Textarea(attrs={"rows": 4}))


class DynamiquesTerritoireForm(PartieForm):
    modele = DynamiquesTerritoire
    ordre = DynamiquesTerritoire.CHAMPS

    demographie = champ_du_modele(
        DynamiquesTerritoire, "demographie", widget=forms.Textarea(attrs={"rows": 5})
    )
    economie = champ_du_modele(
        DynamiquesTerritoire, "economie", widget=forms.Textarea(attrs={"rows": 5})
    )
    habitat = champ_du_modele(
        DynamiquesTerritoire, "habitat", widget=forms.Textarea(attrs={"rows": 5})
    )
    mobilites = champ_du_modele(
        DynamiquesTerritoire, "mobilites", widget=forms.Textarea(attrs={"rows": 5})
    )
    environnement = champ_du_modele(
        DynamiquesTerritoire, "environnement", widget=forms.Textarea(attrs={"rows": 5})
    )
    risques = champ_du_modele(
        DynamiquesTerritoire, "risques", widget=forms.Textarea(attrs={"rows": 5})
    )
    ressources_naturelles = champ_du_modele(
        DynamiquesTerritoire, "ressources_naturelles", widget=forms.Textarea(attrs={"rows": 5})
    )


_PLANIFICATION = libelles(DynamiquesAmenagement, "documents_planification")


class DocumentPlanificationLigne(LigneForm):
    type = forms.ChoiceField(
        label=_PLANIFICATION["type"],
        choices=_choix(DynamiquesAmenagement.TypeDocument.choices, "Choisir un document"),
    )
    intitule = forms.CharField(
        label=_PLANIFICATION["intitule"],
        max_length=200,
        help_text="Par exemple « SCOT du Pays de Rennes » ou « PLUi de la communauté de "
        "communes ».",
    )
    etat = forms.ChoiceField(
        label=_PLANIFICATION["etat"],
        choices=_choix(DynamiquesAmenagement.EtatDocument.choices, "Choisir un état"),
    )
    # Both are past deliberations; the oldest documents still in force (POS, schémas
    # directeurs) go back to the loi d'orientation foncière of 1967.
    date = DateBorneeField(
        label=_PLANIFICATION["date"],
        debut=datetime.date(1967, 1, 1),
        help_text="Approbation s'il est en vigueur, prescription s'il est en élaboration ou en "
        "révision ; au format jj/mm/aaaa.",
    )


class DynamiquesAmenagementForm(PartieForm):
    modele = DynamiquesAmenagement
    ordre = DynamiquesAmenagement.CHAMPS
    blocs = {
        "documents_planification": Bloc(
            DynamiquesAmenagement,
            "documents_planification",
            DocumentPlanificationLigne,
            max_lignes=20,
        )
    }

    projets = champ_du_modele(
        DynamiquesAmenagement, "projets", widget=forms.Textarea(attrs={"rows": 6})
    )
    contrats = champ_du_modele(
        DynamiquesAmenagement, "contrats", widget=forms.Textarea(attrs={"rows": 4})
    )
    ingenierie = champ_du_modele(
        DynamiquesAmenagement, "ingenierie", widget=forms.Textarea(attrs={"rows": 4})
    )
