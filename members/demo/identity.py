"""The demo cluster's identity: the Pôle Action Média at the Cité digitale du Soler."""

from ..models import ClusterIdentity

DEMO_IDENTITY = {
    "name": "Pôle Action Média",
    "legal_name": "Association Pôle Action Média",
    "site_name": "Cité digitale du Soler",
    "tagline_fr": "Les métiers de l’image et du numérique des Pyrénées-Orientales",
    "tagline_en": "The image and digital trades of the Pyrénées-Orientales",
    "presentation_fr": (
        "Autour de l’école Idem au Soler, le Pôle Action Média réunit des entreprises, une "
        "pépinière de start-up et 650 étudiants, entre Toulouse, Montpellier et Barcelone."
    ),
    "presentation_en": (
        "Around the Idem school in Le Soler, the Pôle Action Média brings together "
        "companies, an incubator of start-ups and 650 students, between Toulouse, "
        "Montpellier and Barcelona."
    ),
    # Demo values: a made-up SIREN (valid check digit) and the textbook French IBAN.
    "siren": "812345676",
    "vat_exemption_mention": "TVA non applicable, article 293 B du CGI",
    "street": "Cité digitale, avenue de la Salanque",
    "postcode": "66270",
    "city": "Le Soler",
    "email": "contact@pole-action-media.example",
    "phone": "04 68 00 00 00",
    "publication_director": "Marie Exemple, présidente de l’association",
    "host": "Hébergeur de démonstration SAS, 1 rue de l’Exemple, 75000 Paris, 01 00 00 00 00",
    "privacy_email": "donnees-personnelles@pole-action-media.example",
    "website": "https://pole-action-media.example",
    "bank_name": "Banque de démonstration",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "sepa_creditor_id": "FR72ZZZ123456",
}


def seed_identity():
    """Fill in the cluster's identity unless staff already did; return whether it was."""
    if ClusterIdentity.objects.filter(pk=ClusterIdentity.SINGLETON).exists():
        return False
    identity = ClusterIdentity(pk=ClusterIdentity.SINGLETON, **DEMO_IDENTITY)
    identity.full_clean()
    identity.save()
    return True
