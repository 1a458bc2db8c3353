"""The platform's self-diagnostic questionnaire, as every installation first has it: seven areas of four
questions, two « fiches réflexes » per area, in plain French.

Written by a data migration (and again by `platform_questionnaire_ensure` when a database lost it), so towns
start from it and copy it to adapt it. Plain data: the loader takes the model classes it writes with, the
migration's historical ones or the live ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

PLATFORM_TITLE = "Autodiagnostic numérique du commerce"

# Points of the usual answers.
NO, PARTLY, YES = 0, 1, 2
YES_NO = (("Non", NO), ("Oui", YES))
NEVER_SOMETIMES_OFTEN = (("Jamais", NO), ("De temps en temps", PARTLY), ("Régulièrement", YES))

# (code, title, intro, questions, sheets)
# question: (text, help, choices, allow_not_concerned); choice: (label, points)
# sheet: (title, feature key of support.diagnostic.FEATURES or "", body: one step a line)
AREAS: tuple[tuple[str, str, str, tuple[Any, ...], tuple[Any, ...]], ...] = (
    (
        "visibilite",
        "Visibilité sur les moteurs de recherche et les cartes",
        "Comment vos clients vous trouvent quand ils cherchent un commerce comme le vôtre.",
        (
            (
                "Votre commerce a-t-il une fiche sur Google, Apple Plans ou OpenStreetMap ?",
                "",
                (
                    ("Non", NO),
                    ("Je ne sais pas", NO),
                    ("Oui, mais je ne la tiens pas à jour", PARTLY),
                    ("Oui, à jour", YES),
                ),
                False,
            ),
            (
                "Vos horaires d'ouverture sont-ils indiqués en ligne, "
                "y compris les fermetures exceptionnelles ?",
                "",
                (
                    ("Non", NO),
                    ("Les horaires habituels seulement", PARTLY),
                    ("Oui, avec les fermetures", YES),
                ),
                False,
            ),
            (
                "Votre page montre-t-elle des photos récentes de la vitrine et de l'intérieur ?",
                "",
                (("Aucune photo", NO), ("Une ou deux, anciennes", PARTLY), ("Oui, récentes", YES)),
                False,
            ),
            (
                "Le nom, l'adresse et le téléphone sont-ils les mêmes partout en ligne ?",
                "Sur votre page, les cartes, les annuaires et les réseaux sociaux.",
                (("Non", NO), ("Je ne sais pas", NO), ("Oui", YES)),
                False,
            ),
        ),
        (
            (
                "Soyez trouvé sur les cartes",
                "shop_info",
                "Cherchez le nom de votre commerce sur votre téléphone, comme un client.\n"
                "Si une fiche existe, réclamez-la ; sinon, créez-la.\n"
                "Recopiez exactement le nom, l'adresse et le téléphone de votre page sur la plateforme.\n"
                "Ajoutez le lien vers votre page de la plateforme comme site web.",
            ),
            (
                "Affichez vos horaires et vos photos",
                "opening_hours",
                "Indiquez vos horaires d'ouverture sur votre page.\n"
                "Ajoutez les fermetures exceptionnelles (congés, jours fériés) dès que vous les connaissez.\n"
                "Prenez en photo votre vitrine, de jour, et l'intérieur du magasin.\n"
                "Changez les photos à chaque saison.",
            ),
        ),
    ),
    (
        "reseaux-sociaux",
        "Réseaux sociaux",
        "Votre présence sur Facebook, Instagram ou d'autres réseaux, et ce que vous y publiez.",
        (
            (
                "Votre commerce a-t-il une page sur un réseau social ?",
                "Facebook, Instagram, TikTok…",
                (("Non", NO), ("Oui, mais elle n'est plus utilisée", PARTLY), ("Oui, active", YES)),
                False,
            ),
            (
                "À quelle fréquence publiez-vous ?",
                "",
                (
                    ("Jamais", NO),
                    ("Moins d'une fois par mois", PARTLY),
                    ("Au moins une fois par semaine", YES),
                ),
                True,
            ),
            (
                "Répondez-vous aux messages et commentaires reçus sur les réseaux ?",
                "",
                (("Rarement", NO), ("Dans la semaine", PARTLY), ("Dans la journée", YES)),
                True,
            ),
            (
                "Vos publications renvoient-elles vers votre page ou vos produits sur la plateforme ?",
                "",
                NEVER_SOMETIMES_OFTEN,
                True,
            ),
        ),
        (
            (
                "Publiez un peu, mais souvent",
                "products",
                "Choisissez un seul réseau, celui de vos clients.\n"
                "Fixez un moment de la semaine pour publier, par exemple le mardi matin.\n"
                "Montrez un produit, une arrivée, une personne de l'équipe : "
                "une photo et deux phrases suffisent.\n"
                "Ajoutez le lien du produit sur la plateforme pour qu'on puisse le réserver.",
            ),
            (
                "Répondez vite aux messages",
                "",
                "Activez les notifications des messages sur votre téléphone.\n"
                "Répondez dans la journée, même par « Merci, je regarde et je vous réponds demain ».\n"
                "Préparez trois réponses toutes faites : horaires, accès, disponibilité d'un produit.",
            ),
        ),
    ),
    (
        "vente-en-ligne",
        "Vente en ligne et Click & Collect",
        "Montrer vos produits en ligne et les faire réserver pour un retrait en boutique.",
        (
            (
                "Vos produits sont-ils visibles en ligne, avec leur prix ?",
                "",
                (("Aucun", NO), ("Quelques-uns", PARTLY), ("La plupart", YES)),
                False,
            ),
            (
                "Vos clients peuvent-ils réserver en ligne et retirer en boutique (Click & Collect) ?",
                "",
                (("Non", NO), ("Par téléphone ou message seulement", PARTLY), ("Oui, en ligne", YES)),
                False,
            ),
            ("Proposez-vous la livraison locale ou le retrait en point relais ?", "", YES_NO, True),
            (
                "Vos fiches produits ont-elles une photo et une description ?",
                "",
                (("Rarement", NO), ("Pour une partie", PARTLY), ("Presque toutes", YES)),
                False,
            ),
        ),
        (
            (
                "Mettez vos produits en vitrine en ligne",
                "products",
                "Commencez par vos dix produits les plus demandés.\n"
                "Pour chacun : une photo nette sur fond clair, le prix, deux lignes de description.\n"
                "Si vous avez un tableur de vos produits, importez-le en une fois.\n"
                "Ajoutez ensuite un produit par jour, entre deux clients.",
            ),
            (
                "Ouvrez le Click & Collect",
                "click_collect",
                "Choisissez vos créneaux de retrait, par exemple en fin de matinée et en fin de journée.\n"
                "Indiquez le délai de préparation d'une commande.\n"
                "Acceptez ou refusez chaque réservation dans la journée : le client est prévenu aussitôt.\n"
                "Préparez un coin près de la caisse pour les commandes à retirer.",
            ),
        ),
    ),
    (
        "paiement",
        "Paiement",
        "Les moyens de paiement que vous acceptez, en boutique et en ligne.",
        (
            (
                "Acceptez-vous la carte bancaire, y compris sans contact ?",
                "",
                (
                    ("Non", NO),
                    ("Oui, au-delà d'un montant minimum", PARTLY),
                    ("Oui, dès le premier euro", YES),
                ),
                False,
            ),
            (
                "Vos clients peuvent-ils payer en ligne une réservation ?",
                "",
                (
                    ("Non", NO),
                    ("Par virement ou lien de paiement envoyé à la main", PARTLY),
                    ("Oui, directement en réservant", YES),
                ),
                False,
            ),
            ("Acceptez-vous le paiement par téléphone mobile ?", "Apple Pay, Google Pay…", YES_NO, False),
            ("Acceptez-vous les chèques et bons d'achat de la ville ?", "", YES_NO, True),
        ),
        (
            (
                "Activez le paiement en ligne",
                "payment",
                "Ouvrez la page « Paiement en ligne » de votre commerce.\n"
                "Suivez les étapes du prestataire : "
                "il vous faut votre SIRET, une pièce d'identité et votre RIB.\n"
                "Laissez à vos clients le choix de payer en ligne ou au retrait.\n"
                "Vérifiez le premier paiement reçu sur votre compte.",
            ),
            (
                "Facilitez le paiement en boutique",
                "",
                "Demandez à votre banque un terminal qui accepte le sans contact et le paiement mobile.\n"
                "Comparez les frais d'au moins deux offres.\n"
                "Affichez en vitrine les moyens de paiement acceptés.",
            ),
        ),
    ),
    (
        "relation-client",
        "Relation client et e-réputation",
        "Comment vous gardez le contact avec vos clients et ce qu'ils disent de vous en ligne.",
        (
            ("Lisez-vous les avis laissés sur votre commerce en ligne ?", "", NEVER_SOMETIMES_OFTEN, False),
            ("Répondez-vous aux avis, y compris aux avis négatifs ?", "", NEVER_SOMETIMES_OFTEN, False),
            (
                "Répondez-vous aux réservations et demandes en ligne dans la journée ?",
                "",
                (("Rarement", NO), ("Souvent", PARTLY), ("Toujours", YES)),
                True,
            ),
            (
                "Gardez-vous le contact avec vos clients habitués ?",
                "Lettre d'information, carte de fidélité, messages.",
                (
                    ("Non", NO),
                    ("Carte de fidélité seulement", PARTLY),
                    ("Oui, je les informe régulièrement", YES),
                ),
                False,
            ),
        ),
        (
            (
                "Répondez à chaque avis",
                "",
                "Lisez les avis une fois par semaine, le même jour.\n"
                "Remerciez pour un avis positif, en une phrase personnelle.\n"
                "Pour un avis négatif : remerciez, reconnaissez le problème, "
                "proposez une solution, sans vous "
                "justifier longuement.\n"
                "Ne répondez jamais à chaud : attendez quelques heures.",
            ),
            (
                "Ne laissez aucune réservation sans réponse",
                "orders",
                "Ouvrez chaque matin la page « Commandes du jour ».\n"
                "Acceptez ou refusez chaque réservation : sans réponse, le client attend et ne revient pas.\n"
                "Si un produit manque, refusez en proposant une autre date.",
            ),
        ),
    ),
    (
        "stocks",
        "Gestion des stocks",
        "Savoir ce que vous avez en boutique et le montrer juste en ligne.",
        (
            (
                "Comment suivez-vous votre stock ?",
                "",
                (
                    ("De tête", NO),
                    ("Sur papier ou tableur", PARTLY),
                    ("Avec un logiciel de caisse ou de stock", YES),
                ),
                False,
            ),
            (
                "Le stock affiché en ligne correspond-il à ce que vous avez en boutique ?",
                "",
                (("Rarement", NO), ("Souvent", PARTLY), ("Toujours", YES)),
                True,
            ),
            (
                "Mettez-vous à jour vos produits en ligne (prix, disponibilité) ?",
                "",
                (("Moins d'une fois par trimestre", NO), ("Chaque mois", PARTLY), ("Chaque semaine", YES)),
                True,
            ),
            ("Retirez-vous de la vente en ligne les produits épuisés ?", "", NEVER_SOMETIMES_OFTEN, True),
        ),
        (
            (
                "Tenez vos produits à jour en une minute",
                "products",
                "Ouvrez la liste de vos produits sur votre téléphone.\n"
                "Changez le stock d'un produit dès qu'il arrive ou s'épuise.\n"
                "Masquez un produit épuisé plutôt que de le supprimer : il reviendra avec ses photos.\n"
                "Une fois par mois, passez toute la liste en revue.",
            ),
            (
                "Gagnez du temps avec un tableur",
                "product_import",
                "Exportez vos produits depuis votre logiciel de caisse, s'il le permet.\n"
                "Sinon, remplissez le modèle de tableur de la plateforme.\n"
                "Importez le fichier : les prix et les stocks sont mis à jour en une fois.",
            ),
        ),
    ),
    (
        "donnees",
        "Protection des données",
        "Les données de vos clients et la sécurité de vos comptes.",
        (
            (
                "Vos mots de passe sont-ils différents pour chaque compte ?",
                "Messagerie, banque, réseaux sociaux, plateforme.",
                (
                    ("Non, souvent le même", NO),
                    ("En partie", PARTLY),
                    ("Oui, avec un gestionnaire de mots de passe", YES),
                ),
                False,
            ),
            ("Demandez-vous l'accord de vos clients avant de leur envoyer des offres ?", "", YES_NO, True),
            (
                "Où gardez-vous les coordonnées de vos clients ?",
                "",
                (
                    ("Sur des papiers ou un carnet", NO),
                    ("Dans mon téléphone personnel", PARTLY),
                    ("Dans un fichier ou logiciel protégé par un mot de passe", YES),
                ),
                True,
            ),
            (
                "Sauvegardez-vous vos fichiers importants (comptabilité, clients, photos) ?",
                "",
                (("Jamais", NO), ("De temps en temps", PARTLY), ("Automatiquement", YES)),
                False,
            ),
        ),
        (
            (
                "Protégez vos comptes",
                "",
                "Utilisez un mot de passe différent pour chaque compte, d'au moins douze caractères.\n"
                "Notez-les dans un gestionnaire de mots de passe plutôt que sur un papier.\n"
                "Activez la double authentification sur la messagerie et la banque.\n"
                "Faites les mises à jour du téléphone et de l'ordinateur dès qu'elles sont proposées.",
            ),
            (
                "Respectez les données de vos clients",
                "",
                "Ne gardez que ce qui sert : nom, téléphone ou e-mail, "
                "et l'accord pour recevoir des offres.\n"
                "Demandez cet accord par écrit, et notez la date.\n"
                "Supprimez les contacts des clients qui ne sont pas revenus depuis trois ans.\n"
                "En cas de doute, le site de la CNIL a un guide pour les commerçants.",
            ),
        ),
    ),
)


def questionnaire_write_default(
    *,
    models: dict[str, Any],
    at: datetime,
    town: Any = None,
    title: str = PLATFORM_TITLE,
) -> Any:
    """Write the default questionnaire, published as version 1, with the given model classes (keys
    Questionnaire, QuestionnaireVersion, Area, Question, Choice, RecommendationSheet); return the version."""
    questionnaire = models["Questionnaire"].objects.create(town=town, title=title)
    version = models["QuestionnaireVersion"].objects.create(
        questionnaire=questionnaire, number=1, published_at=at
    )
    choices = []
    for area_order, (code, area_title, intro, questions, sheets) in enumerate(AREAS, start=1):
        area = models["Area"].objects.create(
            version=version, code=code, title=area_title, intro=intro, order=area_order
        )
        for order, (text, help_text, answers, not_concerned) in enumerate(questions, start=1):
            question = models["Question"].objects.create(
                area=area, text=text, help=help_text, order=order, allow_not_concerned=not_concerned
            )
            for choice_order, (label, points) in enumerate(answers, start=1):
                choices.append(
                    models["Choice"](question=question, label=label, points=points, order=choice_order)
                )
        for order, (sheet_title, feature, body) in enumerate(sheets, start=1):
            models["RecommendationSheet"].objects.create(
                area=area, title=sheet_title, feature=feature, body=body, order=order
            )
    models["Choice"].objects.bulk_create(choices)
    return version
