from django import forms

from config.core.widgets import InlineRadioSelect
from config.notifications.models import DEFAULT_FREQUENCY, LEGAL_DEADLINES, Frequency, Kind
from partners.enums import Role

QUARTERS = (Kind.QUARTER_VALIDATED, Kind.QUARTER_REOPENED)
PAYMENTS = (Kind.PAYMENT_RECORDED, Kind.PAYMENT_DUE, Kind.PAYMENT_OVERDUE)
CONVENTIONS = (
    Kind.CONVENTION_SIGNED,
    Kind.CONVENTION_CHANGED,
    Kind.RENEWAL_DUE,
    Kind.NOTICE_NEAR,
    Kind.OTHER_DEADLINE,
)

# What each role may be told of (config.notifications.tasks decides who hears what): the
# page offers those only. The administrator is shown them all.
KINDS_BY_ROLE = {
    Role.LOCAL_AUTHORITY: (*PAYMENTS, *CONVENTIONS, Kind.INVITATION_ACCEPTED),
    Role.DDSP_SECRETARIAT: (Kind.QUARTER_SUBMITTED, *CONVENTIONS, Kind.INVITATION_ACCEPTED),
    Role.GENDARMERIE_SECRETARIAT: (
        Kind.QUARTER_SUBMITTED,
        *CONVENTIONS,
        Kind.INVITATION_ACCEPTED,
    ),
    Role.EMPLOYER_COORDINATION: (*QUARTERS, *PAYMENTS, *CONVENTIONS, Kind.INVITATION_ACCEPTED),
    Role.SOCIAL_WORKER: (*QUARTERS, Kind.INVITATION_ACCEPTED),
    Role.READ_ONLY_PARTNER: (*PAYMENTS, *CONVENTIONS, Kind.INVITATION_ACCEPTED),
    Role.DEPARTEMENTAL_STEERING: (Kind.INVITATION_ACCEPTED,),
    Role.NATIONAL_STEERING: (Kind.INVITATION_ACCEPTED,),
}


def kinds_for(user) -> tuple[Kind, ...]:
    if user.is_superuser:
        return tuple(Kind)
    return KINDS_BY_ROLE.get(user.role, ())


class PreferencesForm(forms.Form):
    """One choice per kind the user may hear of; a legal deadline offers no « jamais »."""

    def __init__(self, *args, user, chosen: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds_for(user):
            choices = Frequency.choices
            help_text = ""
            if kind in LEGAL_DEADLINES:
                choices = [c for c in choices if c[0] != Frequency.NEVER]
                help_text = (
                    "Une échéance légale : la manquer renouvelle ou termine la convention "
                    "sans votre accord. Elle ne peut pas être désactivée."
                )
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                widget=InlineRadioSelect,
                initial=chosen.get(kind.value, DEFAULT_FREQUENCY),
                help_text=help_text,
            )
