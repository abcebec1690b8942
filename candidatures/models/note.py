"""The five sections of the note d'opportunité, one model per part."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from candidatures.models.partie import BlocDeLignes, Colonne, PartieNote, _bloc, _ligne, _texte
from candidatures.models.precandidature import Thematique
from comptes.validators import valider_une_seule_ligne
from documents.models import FichierDepose
from documents.verification import Usage
from territoires.models import EPCI, Departement


class Objet(PartieNote):
    """Section 3 — l'objet : what the atelier is about."""

    REQUIS = ("titre", "thematiques", "problematique", "enjeux")
    CHAMPS = ("titre", "thematiques", "problematique", "enjeux", "contexte")

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="objet"
    )
    titre = models.CharField(
        "titre de l'atelier",
        max_length=200,
        blank=True,
        validators=[valider_une_seule_ligne],
        help_text="Court et parlant : il figurera sur tous les documents de l'atelier. "
        "200 caractères au plus.",
    )
    thematiques = models.ManyToManyField(
        Thematique, verbose_name="thématiques", blank=True, related_name="objets"
    )
    problematique = models.TextField(
        "problématique",
        max_length=5000,
        blank=True,
        help_text="La question que le territoire se pose et que l'atelier doit éclairer : la "
        "DGALN y cherche une stratégie d'aménagement à construire, pas une étude de plus. "
        "5 000 caractères au plus.",
    )
    enjeux = models.TextField(
        "enjeux",
        max_length=5000,
        blank=True,
        help_text="Ce qui est en jeu pour le territoire : secteur, échelle, problèmes à "
        "résoudre, acteurs concernés. 5 000 caractères au plus.",
    )
    contexte = models.TextField(
        "contexte législatif ou réglementaire",
        max_length=5000,
        blank=True,
        help_text="Facultatif : les lois ou documents qui encadrent la démarche (loi Climat et "
        "résilience, accélération des énergies renouvelables, PPA…). 5 000 caractères au plus.",
    )

    history = HistoricalRecords(m2m_fields=[thematiques])

    class Meta:
        verbose_name = "section 3 — l'objet"

    def __str__(self):
        return "Section 3 — L'objet"


class Porteurs(PartieNote):
    """Section 1 — les porteurs : who carries the atelier, and who to call."""

    REQUIS = ("collectivites", "service_pilote", "referent_etat", "referent_etat_courriel")
    CHAMPS = (
        "collectivites",
        "service_pilote",
        "referent_etat",
        "referent_etat_fonction",
        "referent_etat_courriel",
        "referent_etat_telephone",
        "operateur",
        "operateur_referent",
        "partenaires",
    )
    BLOCS = {
        "collectivites": BlocDeLignes(
            colonnes={
                "organisation": Colonne("Collectivité"),
                "siren": Colonne("SIREN"),
                "elu": Colonne("Élu représentant"),
                "referent": Colonne("Référent technique (prénom et nom)"),
                "referent_fonction": Colonne("Fonction du référent"),
                "referent_courriel": Colonne("Adresse électronique du référent"),
                "referent_telephone": Colonne("Téléphone du référent"),
            },
            requis=("organisation", "siren", "elu", "referent", "referent_courriel"),
        ),
        "partenaires": BlocDeLignes(
            colonnes={"nom": Colonne("Partenaire"), "role": Colonne("Rôle dans l'atelier")},
            requis=("nom",),
        ),
    }

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="porteurs"
    )
    collectivites = _bloc(
        "collectivités porteuses",
        "Chaque collectivité qui porte l'atelier : elle signe la lettre de soutien et prend en "
        "charge la logistique des sessions. Une ligne par collectivité.",
    )
    service_pilote = _ligne(
        "service de l'État pilote",
        aide="La DDT(M) ou la DREAL qui pilote l'atelier et sera titulaire du marché subséquent.",
    )
    referent_etat = _ligne(
        "référent du service de l'État (prénom et nom)",
        max_length=150,
        aide="La personne qui suivra l'atelier au quotidien pendant 10 à 15 mois.",
    )
    referent_etat_fonction = _ligne("fonction du référent", max_length=150)
    referent_etat_courriel = models.EmailField(
        "adresse électronique du référent", blank=True, max_length=254
    )
    referent_etat_telephone = _ligne("téléphone du référent", max_length=30)
    operateur = _ligne(
        "opérateur de l'État associé",
        aide="Facultatif : établissement public foncier, agence de l'eau, Cerema… s'il "
        "s'associe à l'atelier.",
    )
    operateur_referent = _ligne(
        "référent de l'opérateur", max_length=150, aide="Prénom, nom et adresse électronique."
    )
    partenaires = _bloc(
        "autres partenaires",
        "Facultatif : PNR, agence d'urbanisme, CAUE, chambre consulaire… associés à la démarche.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "section 1 — les porteurs"

    def __str__(self):
        return "Section 1 — Les porteurs"


class Localisation(PartieNote):
    """Section 2 — la localisation : where the atelier works, at which scale."""

    class Echelle(models.TextChoices):
        COMMUNALE = "communale", "Communale"
        INFRA_INTERCOMMUNALE = "infra_intercommunale", "Infra-intercommunale"
        INTERCOMMUNALE = "intercommunale", "Intercommunale"
        SCOT = "scot", "SCOT"
        PETR = "petr", "PETR"
        OIN = "oin", "OIN"
        AUTRE = "autre", "Autre"

    REQUIS = ("echelle", "departements", "description")
    CHAMPS = (
        "echelle",
        "departements",
        "epcis",
        "communes",
        "population",
        "superficie",
        "description",
        "perimetre",
    )
    FICHIERS = {"perimetre": Usage.PERIMETRE}

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="localisation"
    )
    echelle = models.CharField(
        "échelle de réflexion",
        max_length=30,
        choices=Echelle.choices,
        blank=True,
        help_text="Un Atelier Local travaille le plus souvent à l'échelle intercommunale, "
        "parfois plus large (SCOT, PETR, OIN) ou plus petite (quelques communes).",
    )
    departements = models.ManyToManyField(
        Departement, verbose_name="départements", blank=True, related_name="localisations"
    )
    epcis = models.ManyToManyField(
        EPCI,
        verbose_name="intercommunalités (EPCI) concernées",
        blank=True,
        related_name="localisations",
    )
    communes = _texte(
        "communes concernées",
        max_length=3000,
        aide="Si le périmètre ne couvre pas des intercommunalités entières : les communes, "
        "séparées par des virgules.",
    )
    population = models.PositiveIntegerField(
        "population du périmètre",
        null=True,
        blank=True,
        validators=[
            MaxValueValidator(70_000_000, "La population ne peut dépasser 70 000 000 habitants.")
        ],
        help_text="En habitants, si vous la connaissez (recensement de l'Insee). Pré-remplie "
        "avec celle des intercommunalités choisies : corrigez-la si le périmètre est plus petit.",
    )
    superficie = models.DecimalField(
        "superficie du périmètre (km²)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "La superficie ne peut pas être négative.")],
        help_text="En kilomètres carrés, si vous la connaissez ; par exemple 412,5.",
    )
    description = _texte(
        "description du secteur",
        aide="Le territoire en quelques paragraphes : sa géographie, ses centralités, ce qui "
        "fait son unité et pourquoi ce périmètre a été choisi pour l'atelier.",
    )
    perimetre = models.ForeignKey(
        FichierDepose,
        verbose_name="périmètre (fichier GeoJSON)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Le contour du périmètre exporté de votre logiciel de cartographie (QGIS…) "
        "en GeoJSON, coordonnées en longitude et latitude (WGS 84) ; il s'affiche sur une carte.",
    )
    perimetre_resume = models.CharField(
        "résumé du périmètre", max_length=300, blank=True, editable=False
    )

    history = HistoricalRecords(m2m_fields=[departements, epcis])

    class Meta:
        verbose_name = "section 2 — la localisation"

    def __str__(self):
        return "Section 2 — La localisation"

    def attacher_fichier(self, nom, depose, verification):
        super().attacher_fichier(nom, depose, verification)
        if nom == "perimetre":
            self.perimetre_resume = verification.resume if depose else ""


class Objectifs(PartieNote):
    """Section 4 — les objectifs : what the atelier must produce, and the team's questions."""

    REQUIS = ("objectifs", "resultats", "questions")
    CHAMPS = ("objectifs", "resultats", "questions", "liens_demarches")
    BLOCS = {
        "objectifs": BlocDeLignes(
            colonnes={"intitule": Colonne("Objectif"), "description": Colonne("Précisions")},
            requis=("intitule",),
        )
    }

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="objectifs"
    )
    objectifs = _bloc(
        "objectifs de l'atelier",
        "Ce que les porteurs veulent atteindre au bout des 10 à 15 mois : une vision partagée, "
        "une stratégie, un plan d'actions… Une ligne par objectif, du plus important au moins "
        "important.",
    )
    resultats = _texte(
        "résultats attendus",
        aide="Ce que l'atelier doit laisser au territoire : une feuille de route organisée par "
        "thématique et par priorité, un plan-guide, des actions-clés à lancer, des partenaires "
        "réunis…",
    )
    questions = _texte(
        "questions posées à l'équipe",
        aide="Les questions auxquelles l'équipe pluridisciplinaire devra répondre : elles "
        "fondent le cahier des charges (CCTP) du marché subséquent et l'offre des groupements.",
    )
    liens_demarches = _texte(
        "liens avec les démarches en cours",
        aide="Comment l'atelier s'articule avec un document d'urbanisme en cours "
        "d'élaboration, un projet de territoire, une étude ou un contrat déjà engagé.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "section 4 — les objectifs"

    def __str__(self):
        return "Section 4 — Les objectifs"


class Ressources(PartieNote):
    """Section 5 — les ressources : the actors to mobilise, the documents to give the team,
    the means the collectivités provide for the sessions."""

    class TypeActeur(models.TextChoices):
        ELU = "elu", "Élu"
        SERVICE = "service", "Service (collectivité ou État)"
        ASSOCIATION = "association", "Association"
        HABITANT = "habitant", "Habitants"
        ENTREPRISE = "entreprise", "Entreprise"
        INSTITUTION = "institution", "Institution"
        AUTRE = "autre", "Autre"

    class TypeRessource(models.TextChoices):
        ETUDE = "etude", "Étude"
        DIAGNOSTIC = "diagnostic", "Diagnostic"
        PLANIFICATION = "planification", "Document de planification"
        DONNEES = "donnees", "Données"
        CARTOGRAPHIE = "cartographie", "Cartographie"
        AUTRE = "autre", "Autre"

    REQUIS = ("acteurs", "documents", "moyens")
    CHAMPS = ("acteurs", "documents", "moyens", "calendrier")
    BLOCS = {
        "acteurs": BlocDeLignes(
            colonnes={
                "nom": Colonne("Acteur"),
                "type": Colonne("Type d'acteur", choix=tuple(TypeActeur.choices)),
                "role": Colonne("Rôle attendu dans l'atelier"),
            },
            requis=("nom", "type"),
        ),
        "documents": BlocDeLignes(
            colonnes={
                "titre": Colonne("Titre du document"),
                "type": Colonne("Type de document", choix=tuple(TypeRessource.choices)),
                "date": Colonne("Date", date=True),
                "fichier": Colonne("Fichier", fichier=True),
                "lien": Colonne("Lien"),
            },
            requis=("titre", "type", ("fichier", "lien")),
        ),
    }
    FICHIERS = {"documents": Usage.RESSOURCE}

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="ressources"
    )
    acteurs = _bloc(
        "acteurs à mobiliser",
        "Les élus, services, associations, entreprises, habitants… que l'équipe devra "
        "rencontrer ou faire participer aux sessions. Une ligne par acteur.",
    )
    documents = _bloc(
        "ressources documentaires",
        "Les études, diagnostics, documents de planification, données et cartes à remettre "
        "à l'équipe pluridisciplinaire pour son analyse documentaire. Une ligne par document : "
        "un fichier déposé ou un lien.",
    )
    moyens = _texte(
        "moyens mis à disposition pour les sessions",
        max_length=3000,
        aide="Les frais d'organisation des trois sessions (logistique et restauration) sont à "
        "la charge des collectivités : salles prévues, restauration, transport des "
        "participants, personnes chargées de l'organisation.",
    )
    calendrier = _texte(
        "calendrier souhaité",
        max_length=3000,
        aide="La période souhaitée pour le lancement et les trois sessions, les "
        "échéances à respecter (élections, conseil communautaire, approbation d'un document…).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "section 5 — les ressources"

    def __str__(self):
        return "Section 5 — Les ressources"
