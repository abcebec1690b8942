"""The note d'opportunité, one model per part, each saved as a versioned draft."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from candidatures.models.candidature import Candidature
from candidatures.models.precandidature import Thematique
from comptes.validators import valider_une_seule_ligne
from documents.models import FichierDepose
from documents.verification import Usage
from territoires.models import EPCI, Departement


class PartieNote(models.Model):
    """One part of the note d'opportunité: saved as a draft whatever its completeness, and
    versioned so that two people saving the same part never overwrite each other silently."""

    # The fields a part needs to be complete, with the label shown in « n champs manquants ».
    REQUIS = ()
    # The fields that hold deposited files, with their usage (documents.verification.Usage):
    # a foreign key to the file, or a repeatable block whose rows keep files by their uuid.
    FICHIERS = {}

    candidature = models.OneToOneField(Candidature, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField("version", default=0)
    modifie_le = models.DateTimeField("modifiée le", null=True, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def manquants(self):
        """The labels of the required fields still empty."""
        vides = []
        for nom in self.REQUIS:
            champ = self._meta.get_field(nom)
            valeur = getattr(self, nom)
            if champ.many_to_many:
                vide = self.pk is None or not valeur.exists()
            else:
                vide = not (valeur.strip() if isinstance(valeur, str) else valeur)
            if vide:
                vides.append(champ.verbose_name)
        return vides

    def attacher_fichier(self, nom, depose, verification):
        """Point the file field `nom` at a deposited file (None: the file is withdrawn)."""
        setattr(self, nom, depose)


def _texte(nom, *, max_length=5000, aide="", **kwargs):
    """An optional long text of a part, its limit written in its help text."""
    limite = f"{max_length:,}".replace(",", "\u202f")
    return models.TextField(
        nom,
        max_length=max_length,
        blank=True,
        help_text=f"{aide} {limite} caractères au plus.".strip(),
        **kwargs,
    )


def _ligne(nom, *, max_length=200, aide="", **kwargs):
    """An optional one-line text of a part."""
    return models.CharField(nom, max_length=max_length, blank=True, help_text=aide, **kwargs)


def _bloc(nom, aide):
    """A repeatable block of a part: a list of rows, each a dict of the row form's fields."""
    return models.JSONField(nom, default=list, blank=True, help_text=aide)


class Objet(PartieNote):
    """Section 3 — l'objet : what the atelier is about."""

    REQUIS = ("titre", "thematiques", "problematique", "enjeux")

    candidature = models.OneToOneField(Candidature, on_delete=models.CASCADE, related_name="objet")
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

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="porteurs"
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
    FICHIERS = {"perimetre": Usage.PERIMETRE}

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="localisation"
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

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="objectifs"
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
    FICHIERS = {"documents": Usage.RESSOURCE}

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="ressources"
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


class DynamiquesTerritoire(PartieNote):
    """Annexe 1 — les dynamiques du territoire : what the territory is going through."""

    REQUIS = ("demographie", "economie", "habitat", "mobilites", "environnement")

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="dynamiques_territoire"
    )
    demographie = _texte(
        "démographie",
        aide="Évolution de la population, vieillissement, taille des ménages, soldes naturel "
        "et migratoire ; les chiffres clés et leur tendance.",
    )
    economie = _texte(
        "économie et emploi",
        aide="Activités dominantes, zones d'activités, agriculture, tourisme, emplois et "
        "déplacements domicile-travail.",
    )
    habitat = _texte(
        "habitat et logement",
        aide="Parc de logements, vacance, besoins, prix, consommation foncière et projets "
        "d'habitat.",
    )
    mobilites = _texte(
        "mobilités",
        aide="Infrastructures, offre de transport, usage de la voiture, mobilités actives.",
    )
    environnement = _texte(
        "environnement et paysage",
        aide="Milieux naturels, trame verte et bleue, paysages et patrimoine, énergie.",
    )
    risques = _texte(
        "risques",
        aide="Si le territoire est concerné : inondation, submersion, "
        "érosion du trait de côte, sécheresse, mouvements de terrain, risques technologiques.",
    )
    ressources_naturelles = _texte(
        "ressources naturelles (eau, sols, biodiversité)",
        aide="Si le territoire est concerné : état et usages de la ressource "
        "en eau, artificialisation et qualité des sols, biodiversité.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "annexe 1 — les dynamiques du territoire"

    def __str__(self):
        return "Annexe 1 — Les dynamiques du territoire"


class DynamiquesAmenagement(PartieNote):
    """Annexe 2 — les dynamiques d'aménagement : plans, projets and contracts already there."""

    class TypeDocument(models.TextChoices):
        SCOT = "scot", "SCOT"
        PLU = "plu", "PLU"
        PLUI = "plui", "PLUi"
        PCAET = "pcaet", "PCAET"
        PLH = "plh", "PLH"
        PDM = "pdm", "PDM (plan de mobilité)"
        SRADDET = "sraddet", "SRADDET"
        AUTRE = "autre", "Autre"

    class EtatDocument(models.TextChoices):
        EN_VIGUEUR = "en_vigueur", "En vigueur"
        EN_ELABORATION = "en_elaboration", "En élaboration"
        EN_REVISION = "en_revision", "En révision"

    REQUIS = ("documents_planification", "projets")

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="dynamiques_amenagement"
    )
    documents_planification = _bloc(
        "documents de planification",
        "Les documents qui couvrent le périmètre (SCOT, PLU ou PLUi, PCAET, PLH, plan de "
        "mobilité, SRADDET…) et où ils en sont. Une ligne par document.",
    )
    projets = _texte(
        "projets d'aménagement en cours",
        aide="Les opérations engagées ou envisagées sur le périmètre : ZAC, renouvellement "
        "urbain, friches, équipements, infrastructures ; qui les porte et où elles en sont.",
    )
    contrats = _texte(
        "contrats et programmes",
        aide="Les contrats et programmes dont le territoire bénéficie, par "
        "exemple une ORT (opération de revitalisation de territoire), Petites villes de demain "
        "(PVD), Action cœur de ville (ACV), un CRTE (contrat pour la réussite de la transition "
        "écologique).",
    )
    ingenierie = _texte(
        "accompagnements en ingénierie déjà reçus",
        aide="Études, ateliers ou appuis déjà menés sur ce territoire (agence "
        "d'urbanisme, CAUE, Cerema, ANCT…), pour que l'atelier s'appuie dessus sans les refaire.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "annexe 2 — les dynamiques d'aménagement"

    def __str__(self):
        return "Annexe 2 — Les dynamiques d'aménagement"
