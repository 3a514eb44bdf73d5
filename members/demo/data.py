"""The demo cluster of the article: its sectors, its named companies, and the words that
generated members are made of."""

from ..models import (
    Country,
    HeadcountBand,
    LegalForm,
)

SECTORS = [
    ("animation-3d", "Animation et 3D", "3D and animation"),
    ("realite-virtuelle-metavers", "Réalité virtuelle et métavers", "VR and metaverse"),
    ("jeu-video", "Jeu vidéo", "Video games"),
    ("effets-visuels", "Effets visuels (VFX)", "Visual effects (VFX)"),
    ("agences-web", "Agences web et digitales", "Web and digital agencies"),
    ("communication-marketing", "Communication et marketing", "Communication and marketing"),
    ("audiovisuel-cinema", "Audiovisuel et cinéma", "Film and broadcast"),
    ("photographie", "Photographie", "Photography"),
    ("design-graphique", "Design graphique", "Graphic design"),
    ("e-sante", "E-santé", "E-health"),
    ("tourisme-numerique", "Tourisme numérique", "Travel tech"),
    ("donnees-infrastructures", "Données et infrastructures", "Data and infrastructure"),
    ("logiciels", "Logiciels et développement", "Software development"),
    ("formation-ecole", "Formation et école", "Training and school"),
    ("son-musique", "Son et musique", "Sound and music"),
    ("accompagnement", "Accompagnement d'entreprises", "Business support"),
]

# The search's synonyms for the cluster's trades (members.models.Synonym).
SYNONYMS = [
    "VR, réalité virtuelle, métavers, virtual reality",
    "IA, intelligence artificielle, AI, artificial intelligence",
    "jeu vidéo, gaming, video game",
    "3D, trois dimensions, modélisation 3D",
    "VFX, effets visuels, visual effects",
    "site web, site internet, website",
    "e-santé, santé numérique, e-health",
    "SEO, référencement",
]


# Companies named in the article (descriptions drawn from it), with their sectors.
ARTICLE_COMPANIES = [
    {
        "slug": "pole-action-media",
        "trade_name": "Pôle Action Média",
        "legal_name": "Association Pôle Action Média",
        "legal_form": LegalForm.ASSOCIATION,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Cité digitale, avenue de la Salanque",
        "year_founded": 2010,
        "headcount_band": HeadcountBand.VERY_SMALL,
        "sectors": ["accompagnement", "formation-ecole"],
        "description_fr": (
            "Le cluster des industries de la création et du numérique des Pyrénées-Orientales, "
            "né vers 2010 autour de l'école Idem avec l'aide de l'État. Il regroupe plus de 90 "
            "entreprises, une pépinière d'une vingtaine de start-up à la Cité digitale du Soler, "
            "et travaille avec Toulouse, Montpellier et Barcelone."
        ),
        "description_en": (
            "The cluster of the creative and digital industries of the Pyrénées-Orientales, "
            "founded around 2010 around the Idem school with the State's support. It brings "
            "together more than 90 companies and an incubator of about twenty start-ups at the "
            "Cité digitale du Soler, and works with Toulouse, Montpellier and Barcelona."
        ),
    },
    {
        "slug": "idem",
        "trade_name": "Idem",
        "legal_name": "Idem Creative Arts School",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Ancienne cave coopérative",
        "year_founded": 1985,
        "headcount_band": HeadcountBand.MEDIUM,
        "sectors": ["formation-ecole", "animation-3d", "jeu-video"],
        "description_fr": (
            "École spécialisée dans les métiers de l'image, créée au Soler en 1985 et installée "
            "sur le site de l'ancienne cave coopérative. 650 étudiants y suivent une formation "
            "initiale ou continue : 3D, animation, jeu vidéo, design et communication."
        ),
        "description_en": (
            "A school for the image trades, founded in Le Soler in 1985 and now housed in the "
            "village's former wine cooperative. 650 students follow initial or continuing "
            "training there: 3D, animation, video games, design and communication."
        ),
    },
    {
        "slug": "vroom",
        "trade_name": "Vroom",
        "legal_name": "Vroom SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Pépinière de la Cité digitale, bureau A12",
        "year_founded": 2019,
        "headcount_band": HeadcountBand.VERY_SMALL,
        "sectors": ["realite-virtuelle-metavers", "animation-3d"],
        "description_fr": (
            "Start-up hébergée à la pépinière de la Cité digitale, Vroom est bien positionnée "
            "sur tout ce qui touche au métavers et à la réalité virtuelle : expériences "
            "immersives, visites virtuelles et espaces 3D partagés."
        ),
        "description_en": (
            "A start-up hosted at the Cité digitale incubator, Vroom is well placed in "
            "everything to do with the metaverse and virtual reality: immersive experiences, "
            "virtual tours and shared 3D spaces."
        ),
    },
    {
        "slug": "alaxione",
        "trade_name": "Alaxione",
        "legal_name": "Alaxione SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Pépinière de la Cité digitale, bureau A14",
        "year_founded": 2018,
        "headcount_band": HeadcountBand.SMALL,
        "sectors": ["e-sante", "logiciels"],
        "description_fr": (
            "Alaxione développe une plateforme de prise de rendez-vous médicaux en ligne qui "
            "se veut concurrente de Doctolib, pour les praticiens et leurs patients."
        ),
        "description_en": (
            "Alaxione builds an online medical appointment platform that aims to compete with "
            "Doctolib, for practitioners and their patients."
        ),
    },
    {
        "slug": "stravvel",
        "trade_name": "Stravvel",
        "legal_name": "Stravvel SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Pépinière de la Cité digitale, bureau B03",
        "year_founded": 2020,
        "headcount_band": HeadcountBand.TINY,
        "sectors": ["tourisme-numerique", "logiciels"],
        "description_fr": (
            "Stravvel développe des voyages interactifs : des parcours et des carnets de "
            "voyage numériques qui font vivre un territoire autrement."
        ),
        "description_en": (
            "Stravvel develops interactive travel: digital routes and travel journals that let "
            "visitors experience a region differently."
        ),
    },
    {
        "slug": "mind-and-go",
        "trade_name": "Mind & Go",
        "legal_name": "Mind and Go SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Pépinière de la Cité digitale, bureau B07",
        "year_founded": 2019,
        "headcount_band": HeadcountBand.TINY,
        "sectors": ["donnees-infrastructures"],
        "description_fr": (
            "Mind & Go développe la DataCup, une boîte de stockage de données qui fonctionne "
            "dans n'importe quel contexte, notamment en Afrique où les infrastructures de "
            "communication et de réseau sont parfois défaillantes ou onéreuses."
        ),
        "description_en": (
            "Mind & Go develops the DataCup, an offline data storage box that works in any "
            "setting, notably in Africa where communication and network infrastructure is "
            "sometimes unreliable or expensive."
        ),
    },
    {
        "slug": "french-tech-barcelona",
        "trade_name": "French Tech Barcelona",
        "legal_name": "Associació French Tech Barcelona",
        "legal_form": LegalForm.ASSOCIATION,
        "city": "Barcelona",
        "postcode": "08001",
        "street": "Carrer de Pallars 108",
        "country": Country.SPAIN,
        "sectors": ["accompagnement"],
        "description_fr": (
            "Partenaire du cluster à Barcelone : la communauté des entrepreneurs français de la "
            "capitale catalane, avec qui le Pôle Action Média travaille main dans la main."
        ),
        "description_en": (
            "The cluster's partner in Barcelona: the community of French entrepreneurs in the "
            "Catalan capital, with whom the Pôle Action Média works hand in hand."
        ),
    },
    {
        "slug": "chambre-de-commerce-francaise-barcelone",
        "trade_name": "Chambre de commerce française de Barcelone",
        "legal_name": "Cambra de Comerç Francesa de Barcelona",
        "legal_form": LegalForm.ASSOCIATION,
        "city": "Barcelona",
        "postcode": "08008",
        "street": "Passeig de Gràcia 2",
        "country": Country.SPAIN,
        "sectors": ["accompagnement"],
        "description_fr": (
            "Partenaire du cluster : elle accompagne les entrepreneurs français installés à "
            "Barcelone, dont beaucoup reviennent créer leur entreprise en France."
        ),
        "description_en": (
            "A partner of the cluster: it supports French entrepreneurs settled in Barcelona, "
            "many of whom come back to France to start their company."
        ),
    },
]


# Streets of generated members, with a number drawn for each.
STREETS = {
    "FR": [
        "rue de la République",
        "avenue du Maréchal Joffre",
        "rue des Arts",
        "boulevard Clemenceau",
        "rue Paul Sabatier",
    ],
    "ES": ["Carrer de Mallorca", "Carrer de Pujades", "Avinguda Diagonal", "Carrer Nou"],
}

CITIES = [
    ("Perpignan", "66000", Country.FRANCE),
    ("Le Soler", "66270", Country.FRANCE),
    ("Canet-en-Roussillon", "66140", Country.FRANCE),
    ("Saint-Estève", "66240", Country.FRANCE),
    ("Rivesaltes", "66600", Country.FRANCE),
    ("Thuir", "66300", Country.FRANCE),
    ("Céret", "66400", Country.FRANCE),
    ("Prades", "66500", Country.FRANCE),
    ("Argelès-sur-Mer", "66700", Country.FRANCE),
    ("Elne", "66200", Country.FRANCE),
    ("Toulouse", "31000", Country.FRANCE),
    ("Labège", "31670", Country.FRANCE),
    ("Montpellier", "34000", Country.FRANCE),
    ("Béziers", "34500", Country.FRANCE),
    ("Sète", "34200", Country.FRANCE),
    ("Narbonne", "11100", Country.FRANCE),
    ("Carcassonne", "11000", Country.FRANCE),
    ("Nîmes", "30000", Country.FRANCE),
    ("Albi", "81000", Country.FRANCE),
    ("Barcelona", "08001", Country.SPAIN),
    ("Girona", "17001", Country.SPAIN),
    ("Figueres", "17600", Country.SPAIN),
]


NAME_FIRST = [
    "Atelier",
    "Studio",
    "Agence",
    "Maison",
    "Collectif",
    "Fabrique",
    "Comptoir",
    "Bureau",
    "Labo",
    "Groupe",
    "Manufacture",
    "Société",
]


NAME_CORE = [
    "Tramontane",
    "Canigou",
    "Vermeille",
    "Roussillon",
    "Salanque",
    "Conflent",
    "Aspres",
    "Albères",
    "Têt",
    "Agly",
    "Catalane",
    "Méditerranée",
    "Garrigue",
    "Cerdagne",
    "Grenat",
    "Sardane",
    "Mistral",
    "Soleil",
    "Vallespir",
    "Fenouillèdes",
    "Castell",
    "Olivier",
]


NAME_LAST = [
    "Productions",
    "Numérique",
    "Créations",
    "Interactive",
    "Médias",
    "Images",
    "3D",
    "Animation",
    "Digital",
    "Web",
    "Games",
    "Conseil",
    "Films",
    "Design",
    "Data",
    "Lab",
]


SECTOR_PITCH = {
    "animation-3d": (
        "Studio d'animation et de modélisation 3D.",
        "3D modelling and animation studio.",
    ),
    "realite-virtuelle-metavers": (
        "Expériences en réalité virtuelle et augmentée.",
        "Virtual and augmented reality experiences.",
    ),
    "jeu-video": ("Création de jeux vidéo indépendants.", "Independent video game studio."),
    "effets-visuels": (
        "Effets visuels et compositing pour le cinéma.",
        "Visual effects and compositing for film.",
    ),
    "agences-web": (
        "Agence web : sites, applications et référencement.",
        "Web agency: websites, apps and search optimisation.",
    ),
    "communication-marketing": (
        "Communication, stratégie de marque et marketing digital.",
        "Communication, branding and digital marketing.",
    ),
    "audiovisuel-cinema": (
        "Production audiovisuelle, films institutionnels et clips.",
        "Video production, corporate films and music videos.",
    ),
    "photographie": (
        "Photographie professionnelle et prise de vue aérienne.",
        "Professional and aerial photography.",
    ),
    "design-graphique": (
        "Design graphique, identité visuelle et édition.",
        "Graphic design, visual identity and publishing.",
    ),
    "e-sante": (
        "Outils numériques pour les professionnels de santé.",
        "Digital tools for health professionals.",
    ),
    "tourisme-numerique": (
        "Solutions numériques pour le tourisme et les territoires.",
        "Digital solutions for tourism and local areas.",
    ),
    "donnees-infrastructures": (
        "Hébergement, données et infrastructures réseau.",
        "Hosting, data and network infrastructure.",
    ),
    "logiciels": ("Développement de logiciels sur mesure.", "Custom software development."),
    "formation-ecole": (
        "Formations aux métiers de l'image et du numérique.",
        "Training in the image and digital trades.",
    ),
    "son-musique": (
        "Création sonore, musique à l'image et post-production audio.",
        "Sound design, music for picture and audio post-production.",
    ),
    "accompagnement": (
        "Conseil et accompagnement des entreprises créatives.",
        "Advice and support for creative companies.",
    ),
}


# Enough generated members, with the article's companies, for "more than 90".
DEMO_GENERATED_MEMBERS = 88


DEMO_SEED = 66270
