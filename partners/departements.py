"""The 101 départements: code (INSEE), name and the form used after « de ».

The 96 of metropolitan France and the 5 overseas (971 to 974, 976). Saint-Pierre-et-
Miquelon (975) is a collectivité, not a département: the code validator accepts it for
the partners there, the steering pages do not count it as a département.
"""

from typing import NamedTuple


class Departement(NamedTuple):
    code: str
    name: str
    of_name: str  # « des Deux-Sèvres », « du Nord »


DEPARTEMENTS: tuple[Departement, ...] = (
    Departement("01", "Ain", "de l'Ain"),
    Departement("02", "Aisne", "de l'Aisne"),
    Departement("03", "Allier", "de l'Allier"),
    Departement("04", "Alpes-de-Haute-Provence", "des Alpes-de-Haute-Provence"),
    Departement("05", "Hautes-Alpes", "des Hautes-Alpes"),
    Departement("06", "Alpes-Maritimes", "des Alpes-Maritimes"),
    Departement("07", "Ardèche", "de l'Ardèche"),
    Departement("08", "Ardennes", "des Ardennes"),
    Departement("09", "Ariège", "de l'Ariège"),
    Departement("10", "Aube", "de l'Aube"),
    Departement("11", "Aude", "de l'Aude"),
    Departement("12", "Aveyron", "de l'Aveyron"),
    Departement("13", "Bouches-du-Rhône", "des Bouches-du-Rhône"),
    Departement("14", "Calvados", "du Calvados"),
    Departement("15", "Cantal", "du Cantal"),
    Departement("16", "Charente", "de la Charente"),
    Departement("17", "Charente-Maritime", "de la Charente-Maritime"),
    Departement("18", "Cher", "du Cher"),
    Departement("19", "Corrèze", "de la Corrèze"),
    Departement("2A", "Corse-du-Sud", "de la Corse-du-Sud"),
    Departement("2B", "Haute-Corse", "de la Haute-Corse"),
    Departement("21", "Côte-d'Or", "de la Côte-d'Or"),
    Departement("22", "Côtes-d'Armor", "des Côtes-d'Armor"),
    Departement("23", "Creuse", "de la Creuse"),
    Departement("24", "Dordogne", "de la Dordogne"),
    Departement("25", "Doubs", "du Doubs"),
    Departement("26", "Drôme", "de la Drôme"),
    Departement("27", "Eure", "de l'Eure"),
    Departement("28", "Eure-et-Loir", "d'Eure-et-Loir"),
    Departement("29", "Finistère", "du Finistère"),
    Departement("30", "Gard", "du Gard"),
    Departement("31", "Haute-Garonne", "de la Haute-Garonne"),
    Departement("32", "Gers", "du Gers"),
    Departement("33", "Gironde", "de la Gironde"),
    Departement("34", "Hérault", "de l'Hérault"),
    Departement("35", "Ille-et-Vilaine", "d'Ille-et-Vilaine"),
    Departement("36", "Indre", "de l'Indre"),
    Departement("37", "Indre-et-Loire", "d'Indre-et-Loire"),
    Departement("38", "Isère", "de l'Isère"),
    Departement("39", "Jura", "du Jura"),
    Departement("40", "Landes", "des Landes"),
    Departement("41", "Loir-et-Cher", "de Loir-et-Cher"),
    Departement("42", "Loire", "de la Loire"),
    Departement("43", "Haute-Loire", "de la Haute-Loire"),
    Departement("44", "Loire-Atlantique", "de la Loire-Atlantique"),
    Departement("45", "Loiret", "du Loiret"),
    Departement("46", "Lot", "du Lot"),
    Departement("47", "Lot-et-Garonne", "de Lot-et-Garonne"),
    Departement("48", "Lozère", "de la Lozère"),
    Departement("49", "Maine-et-Loire", "de Maine-et-Loire"),
    Departement("50", "Manche", "de la Manche"),
    Departement("51", "Marne", "de la Marne"),
    Departement("52", "Haute-Marne", "de la Haute-Marne"),
    Departement("53", "Mayenne", "de la Mayenne"),
    Departement("54", "Meurthe-et-Moselle", "de Meurthe-et-Moselle"),
    Departement("55", "Meuse", "de la Meuse"),
    Departement("56", "Morbihan", "du Morbihan"),
    Departement("57", "Moselle", "de la Moselle"),
    Departement("58", "Nièvre", "de la Nièvre"),
    Departement("59", "Nord", "du Nord"),
    Departement("60", "Oise", "de l'Oise"),
    Departement("61", "Orne", "de l'Orne"),
    Departement("62", "Pas-de-Calais", "du Pas-de-Calais"),
    Departement("63", "Puy-de-Dôme", "du Puy-de-Dôme"),
    Departement("64", "Pyrénées-Atlantiques", "des Pyrénées-Atlantiques"),
    Departement("65", "Hautes-Pyrénées", "des Hautes-Pyrénées"),
    Departement("66", "Pyrénées-Orientales", "des Pyrénées-Orientales"),
    Departement("67", "Bas-Rhin", "du Bas-Rhin"),
    Departement("68", "Haut-Rhin", "du Haut-Rhin"),
    Departement("69", "Rhône", "du Rhône"),
    Departement("70", "Haute-Saône", "de la Haute-Saône"),
    Departement("71", "Saône-et-Loire", "de Saône-et-Loire"),
    Departement("72", "Sarthe", "de la Sarthe"),
    Departement("73", "Savoie", "de la Savoie"),
    Departement("74", "Haute-Savoie", "de la Haute-Savoie"),
    Departement("75", "Paris", "de Paris"),
    Departement("76", "Seine-Maritime", "de la Seine-Maritime"),
    Departement("77", "Seine-et-Marne", "de Seine-et-Marne"),
    Departement("78", "Yvelines", "des Yvelines"),
    Departement("79", "Deux-Sèvres", "des Deux-Sèvres"),
    Departement("80", "Somme", "de la Somme"),
    Departement("81", "Tarn", "du Tarn"),
    Departement("82", "Tarn-et-Garonne", "de Tarn-et-Garonne"),
    Departement("83", "Var", "du Var"),
    Departement("84", "Vaucluse", "de Vaucluse"),
    Departement("85", "Vendée", "de la Vendée"),
    Departement("86", "Vienne", "de la Vienne"),
    Departement("87", "Haute-Vienne", "de la Haute-Vienne"),
    Departement("88", "Vosges", "des Vosges"),
    Departement("89", "Yonne", "de l'Yonne"),
    Departement("90", "Territoire de Belfort", "du Territoire de Belfort"),
    Departement("91", "Essonne", "de l'Essonne"),
    Departement("92", "Hauts-de-Seine", "des Hauts-de-Seine"),
    Departement("93", "Seine-Saint-Denis", "de la Seine-Saint-Denis"),
    Departement("94", "Val-de-Marne", "du Val-de-Marne"),
    Departement("95", "Val-d'Oise", "du Val-d'Oise"),
    Departement("971", "Guadeloupe", "de la Guadeloupe"),
    Departement("972", "Martinique", "de la Martinique"),
    Departement("973", "Guyane", "de la Guyane"),
    Departement("974", "La Réunion", "de La Réunion"),
    Departement("976", "Mayotte", "de Mayotte"),
)

BY_CODE: dict[str, Departement] = {d.code: d for d in DEPARTEMENTS}


def departement_label(code: str) -> str:
    """« 79 — Deux-Sèvres »; the code alone when it is not a département (975)."""
    departement = BY_CODE.get(code)
    return f"{code} — {departement.name}" if departement else code
