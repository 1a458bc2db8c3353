"""French vocabulary for plausible town centres: shop names, streets, people, products per trade.

Shared by the demo town and the benchmark data generator, so both look like real French towns.
Trades refer to the taxonomy in `centreville.shops.taxonomy` by slug: there is exactly one Trade per
category. Prices are 2026 euros; opening hours use the OpenStreetMap `opening_hours` syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProductIdea:
    title: str
    price: Decimal
    description: str = ""


@dataclass(frozen=True)
class Trade:
    category_slug: str  # a slug of centreville.shops.taxonomy.TRADE_CATEGORIES
    # "{surname}" / "{first_name}" / "{street}" placeholders; fill them with fill_shop_name() for elision.
    shop_name_patterns: tuple[str, ...]
    products: tuple[ProductIdea, ...]
    opening_hours: tuple[str, ...]  # typical OSM opening_hours strings for this trade


# "de" before a vowel or a mute h becomes "d'": « Au Fournil d'Émilie », « Le Salon d'Hugo ».
_ELIDABLE_DE = re.compile(r"\bde (?=[AEIOUHÉÈÊÂÎÔaeiouhéèêâîô])")


def fill_shop_name(pattern: str, *, surname: str, first_name: str, street: str = "") -> str:
    """The shop name of `pattern` for these names, with French elision (« de Alice » → « d'Alice »)."""
    return _ELIDABLE_DE.sub("d'", pattern.format(surname=surname, first_name=first_name, street=street))


def _idea(title: str, price: str, description: str = "") -> ProductIdea:
    """A product idea whose price is the exact decimal written (two places)."""
    return ProductIdea(title, Decimal(price), description)


TRADES: tuple[Trade, ...] = (
    Trade(
        category_slug="boulangerie-patisserie",
        shop_name_patterns=(
            "Boulangerie {surname}",
            "Au Fournil de {first_name}",
            "La Mie Dorée",
            "Maison {surname}",
        ),
        products=(
            _idea("Baguette de tradition", "1.30", "Pétrie lentement, cuite sur sole."),
            _idea("Croissant pur beurre", "1.20", "Feuilletage au beurre AOP d'Isigny."),
            _idea("Pain au chocolat", "1.35", "Deux barres de chocolat noir, pâte levée feuilletée maison."),
            _idea("Pain de campagne au levain (800 g)", "4.60", "Levain naturel et farine de meule."),
            _idea("Pain aux céréales (400 g)", "3.20", "Graines de lin, de tournesol et de sésame."),
            _idea("Brioche tressée", "6.50", "Pur beurre, dorée à l'œuf."),
            _idea("Éclair au chocolat", "3.10"),
            _idea(
                "Tarte normande aux pommes (6 parts)", "18.00", "Pommes du pays, crème fraîche et calvados."
            ),
            _idea("Paris-Brest", "4.20", "Pâte à choux et crème mousseline praliné."),
            _idea("Flan pâtissier (la part)", "2.90"),
            _idea("Fraisier (6 parts)", "27.00", "En saison, avec des fraises de pleine terre."),
            _idea("Fallue normande", "4.50", "Brioche normande à la crème, à partager."),
        ),
        opening_hours=(
            "Tu-Sa 06:30-13:30,15:00-19:30; Su 07:00-12:30; PH off",
            "Mo,We-Sa 06:45-19:30; Su 07:00-13:00",
        ),
    ),
    Trade(
        category_slug="boucherie-charcuterie",
        shop_name_patterns=(
            "Boucherie {surname}",
            "Maison {surname}",
            "Boucherie-charcuterie {first_name} et fils",
        ),
        products=(
            _idea("Entrecôte de bœuf normand (le kg)", "36.90", "Race normande, maturée trois semaines."),
            _idea("Rôti de porc fermier (le kg)", "16.50", "Ficelé à la demande."),
            _idea("Poulet fermier Label Rouge (la pièce)", "15.90", "Environ 1,8 kg, élevé en plein air."),
            _idea("Saucisses de Toulouse (le kg)", "14.90"),
            _idea("Andouille de Vire (le kg)", "32.00", "Fumée au bois de hêtre, recette traditionnelle."),
            _idea("Jambon blanc à l'os (la tranche)", "2.40", "Cuit sur place."),
            _idea("Pâté de campagne maison (le kg)", "19.90"),
            _idea("Rillettes de porc (pot de 250 g)", "5.80"),
            _idea("Bœuf bourguignon prêt à cuire (le kg)", "19.50", "Paleron et joue coupés en morceaux."),
            _idea(
                "Tripes à la mode de Caen (barquette de 500 g)", "8.90", "Mijotées au cidre et au calvados."
            ),
            _idea("Boudin noir (le kg)", "15.90", "Fait maison, aux oignons."),
            _idea("Merguez (le kg)", "15.50"),
        ),
        opening_hours=(
            "Tu-Sa 08:00-12:30,15:00-19:00; Su 08:30-12:30",
            "Tu-Fr 08:30-12:30,15:00-19:00; Sa 08:00-18:00",
        ),
    ),
    Trade(
        category_slug="poissonnerie",
        shop_name_patterns=("Poissonnerie {surname}", "La Marée de {first_name}", "Au Bon Pêcheur"),
        products=(
            _idea("Filet de cabillaud (le kg)", "29.90", "Pêché en Manche, arrivage du jour."),
            _idea("Coquilles Saint-Jacques (la douzaine)", "19.50", "En saison, d'octobre à mai."),
            _idea("Moules de bouchot (le kg)", "6.90"),
            _idea("Huîtres creuses n° 3 (la douzaine)", "12.50", "Ouverture sur demande."),
            _idea("Bulots cuits (le kg)", "14.90", "Cuits chaque matin au court-bouillon."),
            _idea("Crevettes grises (les 100 g)", "5.90"),
            _idea("Saumon fumé maison (les 100 g)", "8.90", "Fumé au bois de hêtre dans notre atelier."),
            _idea("Filet de lieu jaune (le kg)", "27.50"),
            _idea("Soupe de poissons (bocal d'1 l)", "9.50", "Avec sa rouille et ses croûtons."),
            _idea("Maquereaux entiers (le kg)", "10.90"),
            _idea("Sole (le kg)", "39.00", "Vidée et pelée à la demande."),
            _idea("Rillettes de maquereau (pot de 180 g)", "5.20"),
        ),
        opening_hours=(
            "Tu-Sa 08:00-12:30,15:30-19:00; Su 08:30-12:30",
            "Tu-Th,Sa 08:00-13:00; Fr 08:00-13:00,15:30-19:00",
        ),
    ),
    Trade(
        category_slug="fromagerie",
        shop_name_patterns=("Fromagerie {surname}", "Le Plateau de {first_name}", "Crèmerie {surname}"),
        products=(
            _idea(
                "Camembert de Normandie AOP au lait cru (250 g)",
                "5.90",
                "Moulé à la louche, affiné chez nous.",
            ),
            _idea("Livarot AOP (250 g)", "7.40", "Le « colonel », cerclé de ses cinq laîches."),
            _idea("Pont-l'Évêque AOP (350 g)", "8.50"),
            _idea("Neufchâtel AOP en cœur (200 g)", "5.60"),
            _idea("Beurre cru demi-sel de la ferme (250 g)", "4.20", "Baratté à la ferme, à deux pas d'ici."),
            _idea("Crème crue épaisse (50 cl)", "5.30"),
            _idea("Comté 18 mois (le kg)", "32.00", "Fruité et légèrement cristallisé."),
            _idea("Tomme de brebis des Pyrénées (le kg)", "29.50"),
            _idea("Roquefort AOP (le kg)", "31.00"),
            _idea("Yaourt fermier nature (pot de 125 g)", "1.10"),
            _idea("Plateau de fromages pour 6 personnes", "32.00", "Composé à la demande selon la saison."),
            _idea("Brillat-Savarin (200 g)", "6.90"),
        ),
        opening_hours=(
            "Tu-Sa 09:00-12:30,15:00-19:00; Su 09:00-12:30",
            "Tu-Fr 09:30-13:00,15:00-19:00; Sa 09:00-19:00",
        ),
    ),
    Trade(
        category_slug="primeur",
        shop_name_patterns=("Primeur {surname}", "Au Panier de {first_name}", "Les Vergers de {surname}"),
        products=(
            _idea("Pommes Reinette grise du Canada (le kg)", "3.40", "Des vergers du Perche."),
            _idea("Poires Conférence (le kg)", "3.60"),
            _idea("Pommes de terre grenaille (le kg)", "2.90"),
            _idea(
                "Carottes des sables (le kg)", "2.20", "Cultivées dans le sable de la côte ouest du Cotentin."
            ),
            _idea("Poireaux (la botte)", "2.80"),
            _idea(
                "Tomates anciennes (le kg)",
                "5.90",
                "Cœur-de-bœuf, noire de Crimée, ananas : selon la récolte.",
            ),
            _idea("Salade batavia (la pièce)", "1.40"),
            _idea("Fraises de pleine terre (barquette de 500 g)", "5.50", "En saison."),
            _idea("Oranges à jus (le kg)", "2.90"),
            _idea("Champignons de Paris (le kg)", "5.90"),
            _idea(
                "Panier de légumes de saison (environ 5 kg)",
                "18.00",
                "Composé chaque semaine avec les maraîchers.",
            ),
            _idea("Jus de pomme fermier (1 l)", "3.80", "Pur jus, non filtré."),
            _idea("Bananes bio (le kg)", "2.80"),
        ),
        opening_hours=(
            "Tu-Sa 08:30-12:30,14:30-19:00; Su 09:00-12:30",
            "Mo-Sa 08:00-19:30; Su 08:30-13:00",
        ),
    ),
    Trade(
        category_slug="caviste",
        shop_name_patterns=("Cave {surname}", "Le Cellier de {first_name}", "Vins et spiritueux {surname}"),
        products=(
            _idea(
                "Cidre fermier brut AOP pays d'Auge (75 cl)", "6.50", "Fermentation naturelle, bouché liège."
            ),
            _idea("Pommeau de Normandie AOP (70 cl)", "17.90", "À servir frais à l'apéritif."),
            _idea(
                "Calvados pays d'Auge 6 ans d'âge (70 cl)",
                "42.00",
                "Double distillation à l'alambic à repasse.",
            ),
            _idea("Poiré Domfrontais AOP (75 cl)", "8.90", "Poires de haute tige du Domfrontais."),
            _idea("Muscadet Sèvre et Maine sur lie 2024 (75 cl)", "9.80"),
            _idea("Chinon rouge 2023 (75 cl)", "13.50"),
            _idea("Côtes-du-Rhône Villages 2023 (75 cl)", "11.90"),
            _idea("Chablis 2023 (75 cl)", "21.50"),
            _idea("Champagne brut de vigneron (75 cl)", "34.00"),
            _idea("Bière blonde artisanale (33 cl)", "3.20", "Brassée dans l'Orne."),
            _idea("Coffret découverte de 3 cidres", "19.50", "Brut, demi-sec et rosé."),
            _idea("Jus de pomme pétillant (75 cl)", "4.50", "Sans alcool."),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:30-19:30; Su 10:00-12:30",
            "Tu-Sa 10:00-13:00,15:00-19:30",
        ),
    ),
    Trade(
        category_slug="epicerie-fine",
        shop_name_patterns=(
            "Épicerie {surname}",
            "Le Comptoir de {first_name}",
            "Les Saveurs de {first_name}",
        ),
        products=(
            _idea("Caramel au beurre salé (pot de 220 g)", "7.50", "À tartiner ou pour napper les crêpes."),
            _idea("Confiture de lait (pot de 250 g)", "6.20"),
            _idea("Sablés pur beurre (boîte de 250 g)", "6.90", "Recette normande, biscuiterie artisanale."),
            _idea("Huile d'olive vierge extra (50 cl)", "14.90", "Première pression à froid."),
            _idea("Vinaigre de cidre (50 cl)", "4.90"),
            _idea("Terrine de canard au poivre vert (180 g)", "7.90"),
            _idea("Sel de Guérande aux herbes (250 g)", "5.50"),
            _idea("Moutarde à l'ancienne (pot de 210 g)", "4.40"),
            _idea("Pâtes artisanales (500 g)", "4.80", "Séchées lentement à basse température."),
            _idea("Miel de fleurs du bocage (500 g)", "9.50", "D'un apiculteur du pays."),
            _idea("Biscuits apéritifs au camembert (100 g)", "4.60"),
            _idea(
                "Coffret gourmand normand", "39.00", "Cidre, caramel, sablés, terrine : un cadeau tout prêt."
            ),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00",
            "Tu-Sa 10:00-19:00; Su 10:00-12:30",
        ),
    ),
    Trade(
        category_slug="chocolatier-confiseur",
        shop_name_patterns=("Chocolaterie {surname}", "Les Délices de {first_name}", "Maison {surname}"),
        products=(
            _idea(
                "Ballotin de chocolats assortis (250 g)", "21.00", "Pralinés, ganaches et caramels maison."
            ),
            _idea(
                "Ballotin de chocolats assortis (500 g)", "40.00", "Pralinés, ganaches et caramels maison."
            ),
            _idea("Tablette chocolat noir 70 % (100 g)", "5.90"),
            _idea("Tablette chocolat au lait et caramel (100 g)", "5.90"),
            _idea(
                "Pâte à tartiner aux noisettes (pot de 250 g)",
                "9.50",
                "40 % de noisettes, sans huile de palme.",
            ),
            _idea("Caramels au beurre salé (sachet de 200 g)", "7.80"),
            _idea("Orangettes (sachet de 150 g)", "11.50", "Écorces confites enrobées de chocolat noir."),
            _idea("Truffes au calvados (boîte de 200 g)", "16.50"),
            _idea("Mendiants (sachet de 150 g)", "9.80"),
            _idea("Guimauves artisanales (sachet de 120 g)", "6.50"),
            _idea("Moulage de Pâques (poule, 180 g)", "18.00", "Garni de petites fritures."),
            _idea("Pâtes de fruits (boîte de 250 g)", "13.90", "Pomme, poire, cassis et framboise."),
            _idea("Chocolat chaud à l'ancienne (boîte de 250 g)", "9.90"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00; Su 10:00-12:30",
            "Tu-Sa 10:00-19:00",
        ),
    ),
    Trade(
        category_slug="torrefacteur-salon-de-the",
        shop_name_patterns=("Brûlerie {surname}", "Le Salon de {first_name}", "Cafés {surname}"),
        products=(
            _idea("Café d'Éthiopie Moka Sidamo (250 g)", "8.90", "Torréfié chaque semaine dans la boutique."),
            _idea("Café du Brésil Santos (250 g)", "7.50"),
            _idea("Mélange maison pour expresso (1 kg)", "29.00", "Moulu à la demande."),
            _idea("Café décaféiné de Colombie (250 g)", "8.50", "Décaféiné à l'eau, sans solvant."),
            _idea("Thé vert Sencha (100 g)", "8.00"),
            _idea("Thé noir Earl Grey (100 g)", "7.20"),
            _idea("Infusion pomme-cannelle (100 g)", "6.50"),
            _idea("Rooibos à la vanille (100 g)", "6.80"),
            _idea("Théière en fonte (80 cl)", "45.00"),
            _idea("Cappuccino (sur place)", "3.80"),
            _idea("Part de gâteau du jour (sur place)", "4.50"),
            _idea("Formule goûter : boisson chaude et pâtisserie", "7.50", "Tous les après-midi."),
        ),
        opening_hours=(
            "Tu-Sa 09:00-19:00",
            "Tu-Sa 09:30-18:30; Su 14:30-18:30",
        ),
    ),
    Trade(
        category_slug="traiteur",
        shop_name_patterns=("Traiteur {surname}", "Les Plats de {first_name}", "{first_name} Traiteur"),
        products=(
            _idea("Poulet vallée d'Auge (la part)", "12.50", "Crème, cidre et champignons."),
            _idea("Hachis parmentier (la part)", "8.90"),
            _idea("Lasagnes maison (la part)", "8.50"),
            _idea("Quiche lorraine (la part)", "4.20"),
            _idea("Salade piémontaise (le kg)", "14.90"),
            _idea("Tarte aux poireaux et camembert (la part)", "4.60"),
            _idea("Bouchée à la reine (la pièce)", "6.90", "Ris de veau, volaille et champignons."),
            _idea("Plateau apéritif (20 pièces)", "32.00", "À commander 48 heures à l'avance."),
            _idea(
                "Buffet froid (par personne, 10 personnes minimum)",
                "18.50",
                "Sur devis pour les grandes tablées.",
            ),
            _idea("Terrine de poisson (le kg)", "28.00"),
            _idea("Gratin dauphinois (la part)", "4.90"),
            _idea("Pot-au-feu (la part)", "11.50", "Le jeudi uniquement."),
        ),
        opening_hours=(
            "Tu-Sa 09:00-13:00,15:30-19:00; Su 09:00-12:30",
            "Tu-Sa 08:30-19:00",
        ),
    ),
    Trade(
        category_slug="herboristerie-bio",
        shop_name_patterns=("Herboristerie {surname}", "La Tisanerie de {first_name}", "L'Épi Vert"),
        products=(
            _idea("Tisane digestion (50 g)", "6.90", "Menthe poivrée, fenouil et mélisse."),
            _idea("Tisane sommeil tilleul-verveine (50 g)", "6.90"),
            _idea("Huile essentielle de lavande vraie (10 ml)", "7.50", "Demandez conseil avant usage."),
            _idea("Miel de châtaignier bio (500 g)", "11.50"),
            _idea("Savon au lait d'ânesse (100 g)", "6.20", "Saponifié à froid."),
            _idea("Lentilles vertes bio (1 kg)", "5.90", "En vrac : venez avec vos contenants."),
            _idea("Flocons d'avoine bio (500 g)", "2.90"),
            _idea("Farine de sarrasin bio (1 kg)", "4.80"),
            _idea("Gel d'aloe vera (200 ml)", "12.90"),
            _idea("Shampooing solide (85 g)", "9.50"),
            _idea("Graines de courge bio (250 g)", "5.40"),
            _idea("Thé vert matcha bio (30 g)", "14.90"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00",
            "Mo 14:00-19:00; Tu-Sa 09:30-19:00",
        ),
    ),
    Trade(
        category_slug="cafe-bar",
        shop_name_patterns=(
            "Le Bistrot de {first_name}",
            "Chez {first_name}",
            "Café du Commerce",
            "Bar {surname}",
        ),
        products=(
            _idea("Café expresso", "1.80"),
            _idea("Café crème", "3.00"),
            _idea("Chocolat chaud", "3.40", "Au lait entier, chantilly sur demande."),
            _idea("Demi pression", "3.80"),
            _idea("Verre de cidre fermier", "3.20"),
            _idea("Kir normand", "4.50", "Cidre brut et crème de cassis."),
            _idea("Jus de pomme pressé", "3.30"),
            _idea("Croque-monsieur", "6.50", "Jambon à l'os et emmental, salade verte."),
            _idea("Planche mixte charcuterie et fromages", "16.00", "À partager, pour deux ou trois."),
            _idea("Petit-déjeuner complet", "7.90", "Boisson chaude, jus de pomme, tartines et croissant."),
            _idea("Limonade artisanale", "3.60"),
            _idea("Thé ou infusion", "2.80"),
        ),
        opening_hours=(
            "Mo-Sa 07:00-20:00; Su 08:00-13:00",
            "Mo-Fr 07:30-21:00; Sa 08:00-22:00; PH off",
            "Tu-Su 08:00-20:00",
        ),
    ),
    Trade(
        category_slug="restaurant",
        shop_name_patterns=("La Table de {first_name}", "L'Auberge de {first_name}", "Restaurant {surname}"),
        products=(
            _idea("Menu du jour (entrée, plat, dessert)", "17.50", "Du mardi au vendredi midi."),
            _idea("Formule déjeuner (plat et dessert)", "14.00"),
            _idea("Entrecôte grillée, frites maison", "22.50"),
            _idea("Camembert rôti au calvados", "13.50", "Servi avec pommes de terre et salade."),
            _idea("Filet de cabillaud au beurre blanc", "19.80"),
            _idea("Poulet vallée d'Auge, riz pilaf", "18.50"),
            _idea("Salade normande", "14.50", "Andouille, pommes poêlées, camembert et noix."),
            _idea("Teurgoule et fallue", "7.00", "Riz au lait à la cannelle cuit longuement au four."),
            _idea("Tarte Tatin, crème crue", "7.50"),
            _idea("Trou normand", "6.50", "Sorbet pomme arrosé de calvados."),
            _idea("Menu enfant", "10.00", "Plat, dessert et boisson, jusqu'à 10 ans."),
            _idea("Assiette végétarienne de saison", "15.50"),
        ),
        opening_hours=(
            "Tu-Sa 12:00-14:00,19:00-21:30; Su 12:00-14:00",
            "Mo-Th 11:45-14:00; Fr 11:45-14:00,19:00-22:00; Sa 19:00-22:00",
        ),
    ),
    Trade(
        category_slug="pret-a-porter-femme",
        shop_name_patterns=(
            "Boutique {first_name}",
            "Les Tendances de {first_name}",
            "L'Atelier de {first_name}",
        ),
        products=(
            _idea("Robe en lin", "89.00", "Lin lavé, coupe ample, du 36 au 46."),
            _idea("Chemisier en viscose fleuri", "55.00"),
            _idea("Pull en laine mérinos", "79.00", "Doux et chaud, lavable en machine."),
            _idea("Jean coupe droite", "75.00"),
            _idea("Trench-coat beige", "149.00", "Déperlant, doublure amovible."),
            _idea("Jupe plissée midi", "59.00"),
            _idea("Marinière en coton bio", "49.00", "Tricotée en France."),
            _idea("Foulard en soie", "45.00"),
            _idea("Gilet long en maille", "65.00"),
            _idea("Sac cabas en cuir", "119.00"),
            _idea("Ceinture en cuir tressé", "35.00"),
            _idea("Pantalon fluide", "62.00"),
        ),
        opening_hours=(
            "Tu-Sa 10:00-12:30,14:00-19:00",
            "Mo 14:00-19:00; Tu-Sa 09:30-12:30,14:00-19:00",
        ),
    ),
    Trade(
        category_slug="pret-a-porter-homme",
        shop_name_patterns=("{first_name} Homme", "Le Vestiaire de {first_name}", "Maison {surname}"),
        products=(
            _idea("Chemise Oxford", "69.00", "Coton épais, col boutonné."),
            _idea("Pull col rond en laine d'agneau", "85.00"),
            _idea("Chino en coton", "79.00"),
            _idea("Veste de costume en laine", "229.00", "Retouches offertes."),
            _idea("Parka imperméable", "189.00"),
            _idea("Polo en piqué de coton", "55.00"),
            _idea("Jean brut selvedge", "119.00"),
            _idea("Cravate en soie", "49.00"),
            _idea("Caban en drap de laine", "249.00", "Le classique des côtes normandes."),
            _idea("Chaussettes en fil d'Écosse", "15.00"),
            _idea("Ceinture en cuir pleine fleur", "45.00"),
            _idea("Casquette en tweed", "39.00"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:00,14:00-19:00",
            "Mo 14:00-19:00; Tu-Sa 10:00-12:30,14:00-19:00",
        ),
    ),
    Trade(
        category_slug="chaussures",
        shop_name_patterns=("Chaussures {surname}", "Le Pas de {first_name}", "Au Bon Pied"),
        products=(
            _idea("Derbies en cuir pour homme", "139.00", "Semelle cousue, ressemelable."),
            _idea("Bottines en cuir pour femme", "149.00"),
            _idea("Baskets en cuir blanc", "109.00"),
            _idea("Chaussons en feutre", "35.00"),
            _idea("Escarpins en cuir verni", "119.00"),
            _idea("Bottes de pluie", "49.00"),
            _idea("Sandales en cuir", "79.00"),
            _idea("Chaussures premiers pas", "69.00", "Conseil et mesure du pied en boutique."),
            _idea("Mocassins en daim", "125.00"),
            _idea("Semelles en laine (la paire)", "12.00"),
            _idea("Coffret cirage et brosse", "19.90"),
            _idea("Sac à main en cuir", "139.00"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00",
            "Mo 14:30-19:00; Tu-Sa 09:30-19:00",
        ),
    ),
    Trade(
        category_slug="bijouterie-horlogerie",
        shop_name_patterns=(
            "Bijouterie {surname}",
            "Horlogerie-bijouterie {surname}",
            "L'Écrin de {first_name}",
        ),
        products=(
            _idea("Alliance en or jaune 18 carats", "390.00", "Gravure intérieure offerte."),
            _idea(
                "Bague solitaire or blanc et diamant", "1290.00", "Diamant de 0,30 carat, certificat fourni."
            ),
            _idea("Créoles en argent", "59.00"),
            _idea("Collier de perles d'eau douce", "89.00"),
            _idea("Montre automatique pour homme", "590.00", "Mouvement mécanique, garantie deux ans."),
            _idea("Montre à quartz pour femme", "149.00"),
            _idea("Bracelet jonc en argent", "75.00"),
            _idea("Chaîne en or 18 carats (45 cm)", "420.00"),
            _idea("Médaille de baptême en or", "180.00"),
            _idea("Remplacement de pile de montre", "12.00", "Étanchéité contrôlée, en quelques minutes."),
            _idea("Gravure sur bijou", "15.00"),
            _idea("Révision de montre mécanique", "150.00", "Démontage, nettoyage, huilage et réglage."),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:00,14:00-19:00",
            "Tu-Fr 09:30-12:15,14:15-19:00; Sa 09:30-18:30",
        ),
    ),
    Trade(
        category_slug="mercerie",
        shop_name_patterns=("Mercerie {surname}", "Au Fil de {first_name}", "Le Dé à Coudre"),
        products=(
            _idea("Pelote de laine mérinos (50 g)", "7.90", "Plus de trente coloris en rayon."),
            _idea("Aiguilles à tricoter en bambou (la paire)", "6.50"),
            _idea("Fil à coudre polyester (500 m)", "3.20"),
            _idea("Boutons en nacre (lot de 6)", "4.80"),
            _idea("Ruban de satin (le mètre)", "1.50"),
            _idea("Fermeture éclair invisible (20 cm)", "2.40"),
            _idea("Tissu en coton imprimé (le mètre)", "14.00", "Laize de 150 cm."),
            _idea("Ciseaux de couturière (21 cm)", "29.00"),
            _idea("Kit de broderie pour débuter", "24.90", "Toile, fils, aiguille et tambour."),
            _idea("Biais replié (le mètre)", "1.20"),
            _idea("Élastique plat (le mètre)", "0.90"),
            _idea("Patron de couture de robe", "15.50"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:00,14:00-18:30",
            "Tu-Fr 14:00-18:30; Sa 09:30-12:30,14:00-18:00",
        ),
    ),
    Trade(
        category_slug="pharmacie",
        shop_name_patterns=("Pharmacie {surname}", "Pharmacie du Centre", "Grande Pharmacie {surname}"),
        products=(
            _idea("Crème hydratante visage (50 ml)", "16.90", "Peaux sensibles."),
            _idea("Crème solaire SPF 50 (200 ml)", "18.50"),
            _idea("Baume à lèvres (4 g)", "4.90"),
            _idea("Gel hydroalcoolique (100 ml)", "2.50"),
            _idea("Thermomètre médical digital", "9.90"),
            _idea("Pansements assortis (boîte de 20)", "4.20"),
            _idea("Sérum physiologique (30 unidoses)", "3.90"),
            _idea("Shampooing doux (400 ml)", "7.90"),
            _idea("Tensiomètre au bras", "49.90", "Validé cliniquement, mémoire de 60 mesures."),
            _idea("Brosse à dents souple", "4.50"),
            _idea("Pastilles pour la gorge (boîte de 24)", "6.90", "Demandez conseil à votre pharmacien."),
            _idea("Bas de contention (la paire)", "39.00", "Prise de mesures en officine."),
        ),
        opening_hours=(
            "Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30,14:00-19:00",
            "Mo-Sa 08:30-19:30",
        ),
    ),
    Trade(
        category_slug="opticien",
        shop_name_patterns=("Optique {surname}", "Les Lunettes de {first_name}", "Optique du Centre"),
        products=(
            _idea("Monture en acétate", "159.00", "Fabriquée dans le Jura."),
            _idea("Monture en titane", "229.00", "Légère et hypoallergénique."),
            _idea("Lunettes de soleil polarisées", "129.00"),
            _idea("Verres progressifs (la paire)", "390.00", "Prise en charge mutuelle, devis gratuit."),
            _idea("Verres unifocaux amincis (la paire)", "140.00"),
            _idea("Lentilles mensuelles (boîte de 6)", "39.00"),
            _idea("Solution d'entretien pour lentilles (360 ml)", "14.90"),
            _idea("Étui à lunettes rigide", "15.00"),
            _idea("Cordon à lunettes", "9.00"),
            _idea("Loupe de lecture", "25.00"),
            _idea("Lunettes de lecture", "29.00", "Dioptries de +1 à +3."),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00",
            "Mo 14:00-19:00; Tu-Sa 09:00-12:00,14:00-19:00",
        ),
    ),
    Trade(
        category_slug="coiffure",
        shop_name_patterns=("{first_name} Coiffure", "Salon {surname}", "Les Ciseaux de {first_name}"),
        products=(
            _idea("Coupe femme et brushing", "42.00"),
            _idea("Coupe homme", "22.00"),
            _idea("Coupe enfant (moins de 12 ans)", "15.00"),
            _idea("Coloration", "48.00", "Colorations végétales disponibles."),
            _idea("Mèches", "65.00"),
            _idea("Brushing", "25.00"),
            _idea("Taille de barbe", "15.00", "À la tondeuse et au rasoir."),
            _idea("Chignon de mariage", "75.00", "Essai compris."),
            _idea("Soin profond à la kératine", "20.00"),
            _idea("Shampooing professionnel (250 ml)", "16.50"),
            _idea("Permanente", "55.00"),
        ),
        opening_hours=(
            "Tu-Fr 09:00-12:00,14:00-19:00; Sa 08:30-17:00",
            "Tu-Sa 09:00-18:30",
        ),
    ),
    Trade(
        category_slug="institut-de-beaute",
        shop_name_patterns=(
            "Institut {first_name}",
            "L'Instant de {first_name}",
            "Les Soins de {first_name}",
        ),
        products=(
            _idea("Soin du visage hydratant (1 h)", "59.00", "Nettoyage, gommage, masque et modelage."),
            _idea("Épilation demi-jambes", "22.00"),
            _idea("Épilation des sourcils", "12.00"),
            _idea("Manucure", "28.00"),
            _idea("Pose de vernis semi-permanent", "35.00"),
            _idea("Modelage relaxant (1 h)", "65.00"),
            _idea("Beauté des pieds", "39.00"),
            _idea("Maquillage de mariée", "60.00", "Essai compris."),
            _idea("Carte cadeau de 50 €", "50.00"),
            _idea("Crème de jour (50 ml)", "32.00"),
            _idea("Huile sèche pour le corps (100 ml)", "24.00"),
            _idea("Teinture des cils", "18.00"),
        ),
        opening_hours=(
            "Tu-Fr 09:30-19:00; Sa 09:00-17:00",
            "Tu,Th,Fr 09:00-19:00; We 09:00-12:00; Sa 09:00-16:00",
        ),
    ),
    Trade(
        category_slug="librairie-papeterie",
        shop_name_patterns=("Librairie {surname}", "Le Marque-Page", "Librairie-papeterie {surname}"),
        products=(
            _idea(
                "Roman grand format (nouveauté)", "22.00", "Tout livre disponible commandé sous 48 heures."
            ),
            _idea("Roman en format poche", "8.90"),
            _idea("Guide de randonnée en Suisse normande", "14.90"),
            _idea("Album jeunesse", "13.90", "Sélection de nos libraires, à partir de 3 ans."),
            _idea("Bande dessinée (album cartonné)", "15.95"),
            _idea("Cahier grand format (96 pages)", "3.20"),
            _idea("Stylo plume", "29.00"),
            _idea("Agenda scolaire 2026-2027", "12.90"),
            _idea("Carte de vœux avec enveloppe", "3.50"),
            _idea("Carnet de notes relié (A5)", "14.50"),
            _idea("Boîte de 24 crayons de couleur", "18.90"),
            _idea("Carte routière du département", "6.95"),
            _idea("Chèque-lire de 15 €", "15.00"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00",
            "Mo 14:00-19:00; Tu-Sa 09:00-19:00",
        ),
    ),
    Trade(
        category_slug="tabac-presse",
        shop_name_patterns=("Tabac-presse {surname}", "Le Relais de {first_name}", "Tabac de la Place"),
        products=(
            _idea("Quotidien régional", "1.50"),
            _idea("Hebdomadaire local", "1.60", "Toute l'actualité du pays, chaque jeudi."),
            _idea("Magazine de programmes télé", "2.90"),
            _idea("Carte postale de la ville", "1.20"),
            _idea("Recharge téléphonique de 20 €", "20.00"),
            _idea("Confiseries au détail (sachet de 100 g)", "2.50"),
            _idea("Magazine de mots fléchés", "3.90"),
            _idea("Stylo bille", "1.50"),
            _idea("Enveloppes (paquet de 20)", "3.20"),
            _idea("Plan de la ville", "4.50"),
            _idea("Bouteille d'eau (50 cl)", "1.20"),
            _idea("Magazine jeunesse", "6.50"),
        ),
        opening_hours=(
            "Mo-Sa 06:30-19:30; Su 07:00-12:30",
            "Mo-Sa 07:00-19:00; Su 08:00-12:30; PH 08:00-12:00",
        ),
    ),
    Trade(
        category_slug="disquaire",
        shop_name_patterns=("Disques {surname}", "Le Microsillon", "Les Disques de {first_name}"),
        products=(
            _idea("Vinyle 33 tours neuf", "27.00", "Commande de toute référence disponible."),
            _idea("Vinyle 33 tours d'occasion", "12.00", "Écouté et nettoyé avant la vente."),
            _idea("45 tours d'occasion", "4.00"),
            _idea("CD (nouveauté)", "16.99"),
            _idea("Coffret vinyle édition collector", "89.00"),
            _idea("Platine vinyle", "249.00", "Entraînement par courroie, cellule fournie."),
            _idea("Enceintes de bibliothèque (la paire)", "199.00"),
            _idea("Pochettes de protection (lot de 50)", "12.50"),
            _idea("Brosse antistatique", "19.00"),
            _idea("Cellule de platine", "79.00"),
            _idea("Carte cadeau de 30 €", "30.00"),
            _idea("Affiche de concert ancienne", "25.00"),
        ),
        opening_hours=(
            "We-Sa 10:00-12:30,14:00-19:00",
            "Tu-Sa 11:00-19:00",
        ),
    ),
    Trade(
        category_slug="jouets",
        shop_name_patterns=("Jouets {surname}", "Le Coffre à Jouets de {first_name}", "La Ribambelle"),
        products=(
            _idea("Puzzle de 1 000 pièces", "19.90"),
            _idea("Jeu de société familial", "34.90", "À partir de 8 ans, de 2 à 6 joueurs."),
            _idea("Peluche lapin", "24.90"),
            _idea("Circuit de train en bois", "49.90", "Bois issu de forêts gérées durablement."),
            _idea("Poupée de chiffon", "29.90"),
            _idea("Cube d'activités en bois", "39.90", "Dès 12 mois."),
            _idea("Jeu de construction (500 pièces)", "44.90"),
            _idea("Kit de loisirs créatifs", "16.90"),
            _idea("Toupie en bois", "6.90"),
            _idea("Cerf-volant", "22.90"),
            _idea("Jeu des 7 familles", "8.90"),
            _idea("Trottinette pour enfant", "69.00"),
        ),
        opening_hours=(
            "Tu-Sa 10:00-12:30,14:00-19:00",
            "Mo 14:00-19:00; Tu-Sa 09:30-19:00",
        ),
    ),
    Trade(
        category_slug="sport",
        shop_name_patterns=("Sports {surname}", "{first_name} Sports", "Cycles et sports {surname}"),
        products=(
            _idea("Chaussures de running", "119.00", "Analyse de la foulée en magasin."),
            _idea("Ballon de football taille 5", "25.00"),
            _idea("Raquette de tennis", "89.00"),
            _idea("Maillot de cyclisme", "55.00"),
            _idea("Révision complète de vélo", "69.00", "Freins, transmission, roues et réglages."),
            _idea("Tapis de yoga", "29.00"),
            _idea("Sac de sport", "45.00"),
            _idea("Gourde isotherme (75 cl)", "22.00"),
            _idea("Casque de vélo", "59.00"),
            _idea("Veste coupe-vent", "79.00"),
            _idea("Pose de cordage de raquette", "22.00"),
            _idea("Kimono de judo pour enfant", "35.00"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00",
            "Mo 14:00-19:00; Tu-Sa 09:30-19:00",
        ),
    ),
    Trade(
        category_slug="fleuriste",
        shop_name_patterns=(
            "{first_name} Fleurs",
            "Au Jardin de {first_name}",
            "L'Atelier floral de {first_name}",
        ),
        products=(
            _idea("Bouquet de saison", "35.00", "Fleurs de producteurs français quand la saison le permet."),
            _idea("Bouquet rond de roses", "45.00"),
            _idea("Rose à l'unité", "4.50"),
            _idea("Orchidée en pot", "32.00"),
            _idea("Monstera en pot", "39.00"),
            _idea("Composition de deuil", "85.00", "Livraison possible au funérarium."),
            _idea("Bouquet de mariée", "120.00", "Sur rendez-vous."),
            _idea("Couronne de Noël", "45.00"),
            _idea("Terreau universel (20 l)", "8.90"),
            _idea("Pot en terre cuite (20 cm)", "14.00"),
            _idea("Bulbes de tulipes (sachet de 20)", "7.90"),
            _idea("Cactus en pot", "12.00"),
            _idea("Livraison en ville", "8.00", "Du mardi au samedi."),
        ),
        opening_hours=(
            "Tu-Sa 09:00-12:30,14:30-19:00; Su 09:00-12:30",
            "Tu-Sa 09:00-19:00; Su,PH 09:00-13:00",
        ),
    ),
    Trade(
        category_slug="decoration-et-cadeaux",
        shop_name_patterns=(
            "La Maison de {first_name}",
            "Les Trouvailles de {first_name}",
            "Comptoir {surname}",
        ),
        products=(
            _idea("Bougie parfumée à la cire de soja", "24.00", "Coulée à la main en Normandie."),
            _idea("Plaid en laine", "69.00"),
            _idea("Coussin en lin lavé", "39.00"),
            _idea("Vase en céramique", "35.00", "Pièce unique d'une potière du pays."),
            _idea("Mug en grès émaillé", "16.00"),
            _idea("Cadre photo en bois", "19.00"),
            _idea("Torchon en lin imprimé", "14.00"),
            _idea("Diffuseur de parfum (100 ml)", "29.00"),
            _idea("Suspension en rotin", "79.00"),
            _idea("Carte cadeau de 25 €", "25.00"),
            _idea("Miroir rond en laiton", "89.00"),
            _idea("Affiche illustrée de Normandie (format A3)", "29.00"),
        ),
        opening_hours=(
            "Tu-Sa 10:00-12:30,14:00-19:00",
            "Tu-Sa 10:00-19:00; Su 10:00-13:00",
        ),
    ),
    Trade(
        category_slug="quincaillerie-droguerie",
        shop_name_patterns=("Quincaillerie {surname}", "Droguerie {surname}", "Au Bon Outil"),
        products=(
            _idea("Savon noir (1 l)", "6.90", "Pour toute la maison."),
            _idea("Cristaux de soude (1 kg)", "4.50"),
            _idea("Vinaigre ménager (1 l)", "2.90"),
            _idea("Cire d'abeille pour meubles (500 ml)", "12.90"),
            _idea("Marteau de menuisier", "19.90"),
            _idea("Jeu de 6 tournevis", "24.90"),
            _idea("Ampoule LED E27 (806 lm)", "6.50"),
            _idea("Vis à bois (boîte de 200)", "8.90", "Vendues aussi à l'unité."),
            _idea("Peinture acrylique murale (2,5 l)", "39.00", "Teinte faite à la demande."),
            _idea("Balai en coco", "15.90"),
            _idea("Cadenas en laiton (40 mm)", "12.50"),
            _idea("Ruban adhésif de masquage", "3.90"),
            _idea("Arrosoir en zinc (10 l)", "34.00"),
        ),
        opening_hours=(
            "Tu-Sa 08:30-12:00,14:00-19:00",
            "Mo-Sa 08:30-12:15,14:00-18:45",
        ),
    ),
    Trade(
        category_slug="antiquites-brocante",
        shop_name_patterns=("Antiquités {surname}", "Le Grenier de {first_name}", "Brocante {surname}"),
        products=(
            _idea("Armoire normande en chêne", "890.00", "Fin du XIXe siècle, restaurée."),
            _idea("Buffet bas en merisier", "450.00"),
            _idea("Horloge comtoise", "390.00", "Mécanisme révisé."),
            _idea("Miroir doré de style Louis XVI", "220.00"),
            _idea("Service à café en porcelaine de Limoges", "85.00"),
            _idea("Lot de 6 verres anciens", "35.00"),
            _idea("Lampe à pétrole", "45.00"),
            _idea("Carte postale ancienne", "3.00"),
            _idea("Chaise paillée", "40.00"),
            _idea("Malle de voyage", "150.00"),
            _idea("Cafetière émaillée", "25.00"),
            _idea("Napperon en dentelle ancienne", "60.00", "Dentelle à l'aiguille, début du XXe siècle."),
        ),
        opening_hours=(
            "Th-Sa 10:00-12:30,14:00-18:30; Su 14:00-18:00",
            "We-Sa 14:00-19:00; Su 10:00-18:00",
        ),
    ),
    Trade(
        category_slug="informatique-et-telephonie",
        shop_name_patterns=("{first_name} Informatique", "Réparation mobile {surname}", "Micro {surname}"),
        products=(
            _idea(
                "Remplacement d'écran de smartphone",
                "89.00",
                "Réparé en une heure pour les modèles courants.",
            ),
            _idea("Remplacement de batterie de smartphone", "59.00"),
            _idea("Smartphone reconditionné", "229.00", "Garanti un an."),
            _idea("Coque de protection", "19.90"),
            _idea("Verre trempé", "14.90", "Pose offerte."),
            _idea("Chargeur USB-C 20 W", "24.90"),
            _idea("Ordinateur portable reconditionné", "399.00", "Garanti un an, prêt à l'emploi."),
            _idea("Clé USB 64 Go", "12.90"),
            _idea("Souris sans fil", "19.90"),
            _idea("Nettoyage et diagnostic d'ordinateur", "49.00"),
            _idea("Dépannage à domicile (1 h)", "55.00"),
            _idea("Cours d'initiation à l'informatique (1 h)", "35.00"),
            _idea("Imprimante multifonction", "129.00"),
        ),
        opening_hours=(
            "Tu-Sa 09:30-12:30,14:00-19:00",
            "Mo-Fr 10:00-19:00; Sa 10:00-18:00",
        ),
    ),
    Trade(
        category_slug="cordonnerie-cles",
        shop_name_patterns=(
            "Cordonnerie {surname}",
            "L'Atelier du cuir de {first_name}",
            "Cordonnerie du Centre",
        ),
        products=(
            _idea("Pose de talons pour femme", "15.00", "En quelques minutes."),
            _idea("Ressemelage complet en cuir", "55.00"),
            _idea("Patins antidérapants", "18.00"),
            _idea("Reproduction de clé simple", "4.50"),
            _idea("Reproduction de clé de sécurité", "25.00", "Sur présentation de la carte de propriété."),
            _idea("Copie de badge d'immeuble", "19.00"),
            _idea("Remplacement de fermeture éclair de blouson", "28.00"),
            _idea("Plaque gravée pour boîte aux lettres", "12.00"),
            _idea("Cirage en pâte", "6.50"),
            _idea("Embauchoirs en cèdre (la paire)", "29.00"),
            _idea("Teinture de chaussures", "30.00"),
            _idea("Lacets en coton ciré (la paire)", "4.00"),
        ),
        opening_hours=(
            "Tu-Sa 09:00-12:15,14:00-18:30",
            "Tu-Fr 09:00-12:00,14:00-19:00; Sa 09:00-17:00",
        ),
    ),
    Trade(
        category_slug="retouches-pressing",
        shop_name_patterns=(
            "Pressing {surname}",
            "Retouches {first_name}",
            "L'Atelier couture de {first_name}",
        ),
        products=(
            _idea("Ourlet de pantalon", "12.00"),
            _idea("Ourlet de jean avec ourlet d'origine", "15.00"),
            _idea("Remplacement de fermeture éclair", "18.00"),
            _idea("Cintrage de chemise", "20.00"),
            _idea("Nettoyage de chemise", "4.50", "Lavée et repassée sur cintre."),
            _idea("Nettoyage de costume deux pièces", "16.50"),
            _idea("Nettoyage de robe", "14.00"),
            _idea("Nettoyage de couette deux personnes", "28.00", "Prête en trois jours."),
            _idea("Nettoyage de manteau", "18.00"),
            _idea("Nettoyage de robe de mariée", "90.00", "Conditionnée en boîte de conservation."),
            _idea("Reprise de taille", "22.00"),
            _idea("Raccourcissement de manches", "20.00"),
        ),
        opening_hours=(
            "Mo-Fr 08:30-12:30,14:00-19:00; Sa 09:00-12:30",
            "Tu-Sa 09:00-19:00",
        ),
    ),
)

# Hand-wrapped lists of names: one per line would make them unreadable.
# fmt: off
SURNAMES: tuple[str, ...] = (
    # Among the most common in France
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure",
    "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
    "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
    "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Lemaire", "Noël", "Meyer", "Dufour",
    "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
    "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal",
    "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier",
    "Philippe", "Bourgeois", "Benoît", "Rey", "Leclerc", "Rolland", "Leclercq", "Guillaume", "Lecomte",
    "Lopez", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Dupuis", "Moulin", "Deschamps", "Huet",
    "Vasseur", "Boucher", "Fleury", "Royer", "Jacquet", "Adam", "Poirier", "Aubry", "Guyot", "Carré",
    "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Collet", "Léger",
    "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Cousin", "Germain", "Breton", "Besson", "Langlois",
    "Rémy", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Mallet", "Hamon", "Boulanger",
    "Monnier", "Michaud", "Gillet", "Étienne", "Poulain", "Tessier", "Chauvin", "Bouchet", "Lemaître",
    "Bénard", "Maréchal", "Humbert", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay",
    "Pasquier", "Laporte", "Da Silva", "Nguyen",
    # Frequent in Normandy
    "Lecoq", "Lemonnier", "Lesueur", "Lepetit", "Leboucher", "Hébert", "Lecœur", "Lemarchand", "Levasseur",
    "Lelièvre", "Letellier", "Leconte", "Lebas", "Lecarpentier", "Osmont", "Vauquelin", "Hamel", "Duhamel",
    "Lebailly", "Lesage", "Leprince", "Guérout", "Desmonts", "Lerebours", "Marguerite", "Quesnel",
    "Anquetil", "Le Goff", "Le Gall", "Lecanu", "Tostain", "Delamare", "Laîné", "Beaufils", "Onfroy",
    "Gosselin",
)
FIRST_NAMES: tuple[str, ...] = (
    "Camille", "Louis", "Chloé", "Hugo", "Léa", "Gabriel", "Emma", "Jules", "Manon", "Arthur", "Jade",
    "Lucas", "Louise", "Adam", "Alice", "Raphaël", "Inès", "Nathan", "Lina", "Théo", "Juliette", "Paul",
    "Zoé", "Tom", "Rose", "Victor", "Anna", "Maël", "Léna", "Sacha", "Lucie", "Noé", "Sarah", "Ethan",
    "Julia", "Baptiste", "Clara", "Antoine", "Mathilde", "Thomas", "Pauline", "Nicolas", "Marion", "Julien",
    "Élodie", "Sébastien", "Aurélie", "Maxime", "Céline", "Romain", "Sandrine", "Vincent", "Nathalie",
    "Laurent", "Isabelle", "Olivier", "Valérie", "Christophe", "Sophie", "Stéphane", "Catherine",
    "Philippe", "Sylvie", "Pascal", "Martine", "Jean-Pierre", "Françoise", "Michel", "Monique", "Alain",
    "Brigitte", "Patrick", "Véronique", "Éric", "Caroline", "François", "Hélène", "Bernard", "Anne",
    "Thierry", "Florence", "Hervé", "Agnès", "Didier", "Claire", "Bruno", "Margaux", "Quentin", "Océane",
    "Benoît", "Gaëlle", "Yann", "Mathis", "Ambre", "Léon", "Capucine", "Marius", "Apolline", "Gaspard",
    "Héloïse",
)
STREET_NAMES: tuple[str, ...] = (
    # The heart of every town
    "rue de la République", "place du Marché", "rue Saint-Martin", "rue du Beigle", "rue de la Chaussée",
    "rue de l'Hôtel de Ville", "place de l'Hôtel de Ville", "place de l'Église", "rue de l'Église",
    "place de la Mairie", "Grande Rue", "rue Nationale", "rue du Commerce", "rue des Marchands",
    "place des Halles", "rue des Halles", "rue de la Poste", "rue de la Gare", "avenue de la Gare",
    "rue du Pont", "rue du Vieux Pont", "rue du Château", "place du Château", "rue des Remparts",
    "boulevard des Remparts", "rue des Fossés", "rue de la Porte", "rue du Puits", "rue de la Fontaine",
    # Famous people
    "rue Victor Hugo", "boulevard Victor Hugo", "rue Jean Jaurès", "place Jean Jaurès", "rue Gambetta",
    "boulevard Gambetta", "rue Pasteur", "boulevard Carnot", "rue Aristide Briand",
    "rue Georges Clemenceau", "rue Émile Zola", "rue Jules Ferry", "rue Anatole France", "rue Voltaire",
    "rue Jean Moulin", "rue du Maréchal Foch", "rue du Maréchal Leclerc", "avenue du Général de Gaulle",
    "place Charles de Gaulle", "rue Thiers", "rue Denis Papin", "rue Paul Doumer", "rue Alexandre Dumas",
    "rue Guy de Maupassant", "rue Gustave Flaubert", "rue Pierre Corneille", "rue Jean de La Fontaine",
    "rue Molière", "rue Racine", "rue Lamartine", "rue Chateaubriand", "rue Michelet", "rue Condorcet",
    "rue Mirabeau", "rue Louise Michel", "rue Simone Veil", "rue Marie Curie", "rue Olympe de Gouges",
    "rue George Sand", "rue Colette", "rue Jeanne d'Arc", "rue Maurice Ravel", "rue Claude Debussy",
    "rue Érik Satie", "rue Charlotte Corday", "rue Guillaume le Conquérant", "rue de la Reine Mathilde",
    "rue Henri IV", "rue Pierre Ozenne", "place Mahé", "rue Jean-Baptiste Colbert",
    "rue Alexis de Tocqueville", "rue Marcel Pagnol",
    # Dates and values
    "avenue de la Libération", "rue du 8 Mai 1945", "rue du 11 Novembre", "place du 14 Juillet",
    "rue de Verdun", "rue de la Paix", "rue de la Liberté", "place de la Liberté", "place de la Résistance",
    "boulevard de la République",
    # Saints and religious houses
    "rue Saint-Germain", "rue Saint-Pierre", "rue Saint-Jacques", "rue Sainte-Anne", "rue Saint-Nicolas",
    "rue Notre-Dame", "place Saint-Michel", "rue des Capucins", "rue des Cordeliers", "rue des Carmes",
    "rue des Ursulines", "rue de l'Abbaye", "rue du Prieuré", "venelle des Moines", "chemin du Calvaire",
    # Old trades
    "rue des Tanneurs", "quai des Tanneurs", "rue des Teinturiers", "rue des Drapiers", "rue de la Forge",
    "rue des Forges", "rue du Four", "rue du Moulin", "rue de la Boucherie", "rue de la Poissonnerie",
    "rue des Cordiers", "rue de la Briqueterie",
    # Places, gardens and the river
    "rue de Paris", "rue de Normandie", "rue de Bretagne", "route de Caen", "rue d'Alençon",
    "rue de Falaise", "rue des Écoles", "rue du Collège", "rue du Lycée", "rue de l'Hôpital",
    "rue de la Croix", "rue des Jardins", "rue des Vergers", "rue des Prés", "rue du Bocage",
    "rue des Lilas", "rue des Tilleuls", "allée des Acacias", "allée des Marronniers",
    "avenue des Tilleuls", "impasse des Lilas", "impasse du Moulin", "impasse des Rosiers",
    "impasse de la Forge", "quai de l'Orne", "quai du Port", "quai de la Rivière", "sente des Écoliers",
    "chemin des Vignes", "ruelle du Lavoir",
)
TOWN_NAME_PARTS: tuple[tuple[str, ...], tuple[str, ...]] = (
    (
        "Saint-Aubin", "Beaumont", "Villeneuve", "Saint-Martin", "Saint-Pierre", "Sainte-Marie",
        "Notre-Dame", "Montigny", "Fontaine", "Villers", "Neuville", "Le Mesnil", "Bretteville",
        "Saint-Germain", "Sainte-Croix", "Saint-Denis", "Saint-Sulpice", "Longny", "Mortagne", "Cerisy",
        "Condé", "Thury", "Pont", "Saint-Hilaire", "Saint-Laurent", "Saint-Georges", "Rouvres",
        "Cormeilles", "Boissy", "Crèvecœur", "Fresnay", "Juvigny", "Montreuil", "Neufchâtel", "Rochefort",
        "Marcilly", "Bellou", "Tourville", "Colombiers", "Vimoutiers", "Moulins", "La Ferté",
    ),
    (
        "sur-Orne", "la-Forêt", "en-Bocage", "sur-Sarthe", "sur-Dives", "sur-Risle", "sur-Mer",
        "le-Château", "la-Campagne", "les-Bois", "en-Auge", "sur-Touques", "sur-Vire", "le-Vieux",
        "la-Rivière", "sur-Huisne", "au-Perche", "sur-Noireau", "l'Abbaye", "les-Vallées", "sur-Eure",
        "le-Marché", "en-Cotentin", "sur-Aure", "les-Prés", "sur-Andelle", "la-Ville", "d'Ouche", "le-Pin",
        "sur-Odon", "la-Lande", "le-Bocage",
    ),
)
# fmt: on

# The product category (centreville.catalogue.taxonomy) that a trade's products usually fall in.
PRODUCT_CATEGORY_OF_TRADE: dict[str, str] = {
    "boulangerie-patisserie": "pain-patisserie",
    "boucherie-charcuterie": "viandes-charcuterie",
    "poissonnerie": "poissons",
    "fromagerie": "fromages-cremerie",
    "primeur": "fruits-legumes",
    "caviste": "boissons",
    "epicerie-fine": "epicerie",
    "chocolatier-confiseur": "chocolats-confiseries",
    "torrefacteur-salon-de-the": "epicerie",
    "traiteur": "plats-prepares",
    "herboristerie-bio": "beaute-bien-etre",
    "cafe-bar": "restauration",
    "restaurant": "restauration",
    "pret-a-porter-femme": "vetements",
    "pret-a-porter-homme": "vetements",
    "chaussures": "chaussures-maroquinerie",
    "bijouterie-horlogerie": "bijoux-montres",
    "mercerie": "mercerie-couture",
    "pharmacie": "sante-optique",
    "opticien": "sante-optique",
    "coiffure": "services",
    "institut-de-beaute": "beaute-bien-etre",
    "librairie-papeterie": "livres-papeterie",
    "tabac-presse": "livres-papeterie",
    "disquaire": "musique-films",
    "jouets": "jeux-jouets",
    "sport": "sport-loisirs",
    "fleuriste": "fleurs-plantes",
    "decoration-et-cadeaux": "maison-decoration",
    "quincaillerie-droguerie": "bricolage",
    "antiquites-brocante": "antiquites-occasion",
    "informatique-et-telephonie": "informatique-telephonie",
    "cordonnerie-cles": "services",
    "retouches-pressing": "services",
}
# Trades whose products come in sizes.
SIZED_TRADES: dict[str, tuple[str, ...]] = {
    "pret-a-porter-femme": ("36", "38", "40", "42"),
    "pret-a-porter-homme": ("S", "M", "L", "XL"),
    "chaussures": ("38", "39", "40", "41", "42"),
}
