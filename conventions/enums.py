from django.db import models


class ConventionKind(models.TextChoices):
    COMMISSARIAT = "commissariat", "Commissariat"
    GENDARMERIE = "gendarmerie", "Gendarmerie"
    MIXED = "mixte", "Mixte (commissariat et gendarmerie)"


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    APPROVED = "approved", "Approuvée"
    SIGNED = "signed", "Signée"
    IN_FORCE = "in_force", "En vigueur"
    EXPIRED = "expired", "Expirée"
    TERMINATED = "terminated", "Dénoncée"
    RENEWED = "renewed", "Renouvelée"
    CANCELLED = "cancelled", "Annulée"


class StartRule(models.TextChoices):
    LAST_SIGNATURE = "signature", "À compter de la date de signature (la dernière)"
    STATED_DATE = "date", "À une date indiquée"


class TermGovernedBy(models.TextChoices):
    END_DATE = "end_date", "La date de fin écrite"
    DURATION = "duration", "La durée"


class RenewalMode(models.TextChoices):
    NONE = "none", "Pas de reconduction"
    CONCERTATION = "concertation", "Après concertation des parties"
    SUCCESSIVE_PERIODS = "successive", "Par périodes successives"
    TACIT = "tacit", "Tacite"


class Side(models.TextChoices):
    FIRST = "first", "D'une part"
    SECOND = "second", "D'autre part"


class ReferenceKind(models.TextChoices):
    VU = "vu", "Vu"
    CONSIDERANT = "considerant", "Considérant"


class ReportKind(models.TextChoices):
    QUARTERLY_BILAN = "quarterly", "Bilan trimestriel"
    ANNUAL_BILAN = "annual", "Bilan annuel"
    REVIEW_MEETING = "review", "Réunion annuelle de bilan"


class StatisticsValidation(models.TextChoices):
    """Who validates a post's quarterly statistics (a mixed post has two functional
    authorities: the DDSP for its commissariat, the groupement for its brigades)."""

    EACH_AUTHORITY = "each", "Chaque autorité fonctionnelle du poste valide"
    NAMED_AUTHORITY = "named", "Une seule autorité valide"


class ReportPeriod(models.TextChoices):
    Q1 = "Q1", "1er trimestre"
    Q2 = "Q2", "2e trimestre"
    Q3 = "Q3", "3e trimestre"
    Q4 = "Q4", "4e trimestre"
    YEAR = "year", "Année"


class ArticleChangeAction(models.TextChoices):
    REPLACE = "replace", "Remplace l'article"
    INSERT = "insert", "Ajoute un article"
    DELETE = "delete", "Supprime l'article"


class PartyChangeAction(models.TextChoices):
    ADD = "add", "Ajoute une partie"
    REMOVE = "remove", "Retire une partie"


class TerminationKind(models.TextChoices):
    NOTICE_AT_EXPIRY = "notice", "Dénonciation à l'échéance"
    MUTUAL_AGREEMENT = "agreement", "Résiliation d'un commun accord"
    EARLY = "early", "Résiliation anticipée"


class Force(models.TextChoices):
    POLICE = "police", "Police nationale"
    GENDARMERIE = "gendarmerie", "Gendarmerie nationale"


class SiteKind(models.TextChoices):
    """Where a post's social worker receives people: a police or a gendarmerie unit."""

    COMMISSARIAT = "commissariat", "Commissariat"
    POLICE_HEADQUARTERS = "hotel_police", "Hôtel de police"
    GENDARMERIE_BRIGADE = "brigade", "Brigade de gendarmerie"
    GENDARMERIE_COMPANY = "compagnie", "Compagnie de gendarmerie"
    BRIGADES_COMMUNITY = "communaute_brigades", "Communauté de brigades"
    OTHER = "autre", "Autre"


# The force a kind of site belongs to; « Autre » may be either.
SITE_KIND_FORCE = {
    SiteKind.COMMISSARIAT: Force.POLICE,
    SiteKind.POLICE_HEADQUARTERS: Force.POLICE,
    SiteKind.GENDARMERIE_BRIGADE: Force.GENDARMERIE,
    SiteKind.GENDARMERIE_COMPANY: Force.GENDARMERIE,
    SiteKind.BRIGADES_COMMUNITY: Force.GENDARMERIE,
}


class PostKind(models.TextChoices):
    """What a post is, from the forces of its sites (never typed)."""

    POLICE = "police", "Poste en zone police"
    GENDARMERIE = "gendarmerie", "Poste en zone gendarmerie"
    MIXED = "mixte", "Poste mixte (police et gendarmerie)"


class DeliberatingBody(models.TextChoices):
    """How each body is written in the register extract: conventions.deliberations.bodies."""

    MUNICIPAL_COUNCIL = "conseil_municipal", "Conseil municipal"
    COMMUNITY_COUNCIL = "conseil_communautaire", "Conseil communautaire"
    COMMUNITY_BUREAU = "bureau_communautaire", "Bureau communautaire"
    SYNDICATE_COMMITTEE = "comite_syndical", "Comité syndical"
    DEPARTEMENT_COUNCIL = "conseil_departemental", "Conseil départemental"
    REGIONAL_COUNCIL = "conseil_regional", "Conseil régional"
    STANDING_COMMITTEE = "commission_permanente", "Commission permanente"
    BOARD = "conseil_administration", "Conseil d'administration"
    # The council's own name (Council.body_label) is printed instead.
    OTHER = "autre", "Autre assemblée"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Présent"
    REPRESENTED = "represented", "Représenté"
    EXCUSED = "excused", "Excusé"
    ABSENT = "absent", "Absent"


class DeliberationResult(models.TextChoices):
    ADOPTED = "adopted", "Adoptée"
    REJECTED = "rejected", "Rejetée"


class PresidentVote(models.TextChoices):
    FOR = "for", "Pour"
    AGAINST = "against", "Contre"
    ABSTAINED = "abstained", "Abstention ou ne prend pas part"


class ContributionRule(models.TextChoices):
    FIXED = "fixed", "Montant fixe par an"
    SHARE_CAPPED = "share_capped", "Part du coût du poste (avec plafond éventuel)"
    SHARE_BY_YEAR = "share_by_year", "Part du coût du poste par année"
    BALANCE = "balance", "Solde du coût du poste"


class BudgetLine(models.TextChoices):
    """The budget a contribution is paid from: one funder may pay from several at once
    (the State's FIPD and its politique de la ville credits)."""

    NOT_STATED = "", "Non précisée"
    FIPD = "fipd", "FIPD"
    OTHER_STATE = "other_state", "Autre programme de l'État"
    CITY_POLICY = "city_policy", "Politique de la ville"
    OWN_FUNDS = "own_funds", "Fonds propres"
    OTHER = "other", "Autre"


class ContributionNature(models.TextChoices):
    MONEY = "money", "En argent"
    IN_KIND = "in_kind", "En nature (locaux, matériel…)"


class ProRata(models.TextChoices):
    NONE = "none", "Année entière"
    DAYS = "days", "Au prorata des jours"
    MONTHS = "months", "Au prorata des mois (tout mois commencé compte)"


class PaymentState(models.TextChoices):
    NOTHING_DUE = "nothing_due", "Rien à verser"
    UNKNOWN = "unknown", "Montant inconnu"
    DUE = "due", "À verser"
    PARTLY_PAID = "partly_paid", "Partiellement versé"
    PAID = "paid", "Versé"
    OVERPAID = "overpaid", "Versé au-delà du montant attendu"
    LATE = "late", "En retard"
