"""Reads of conventions that pages reuse, with the joins each page needs, and the SQL
that narrows what the dates derived in Python decide.
"""

import datetime

from django.db import models
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Subquery, When

from config.core.dates import add_years
from config.core.lists import words_match
from conventions.enums import (
    RenewalMode,
    StartRule,
    TermGovernedBy,
)
from conventions.models.changes import TERM_FIELDS, Amendment, Renewal
from conventions.models.funding import funding_prefetches
from conventions.models.parties import Party
from conventions.models.post import PostSite
from conventions.models.section import ConventionPost
from partners.models import Representative


def sections_prefetch(*, with_sites: bool = True) -> list:
    """The prefetches that read a convention's sections: their post (and its employer),
    the amendments that add or remove them, and the posts' sites."""
    prefetches = [
        models.Prefetch(
            "sections",
            queryset=ConventionPost.objects.select_related(
                "post__employer", "added_by", "removed_by"
            ),
        )
    ]
    if with_sites:
        prefetches.append(
            models.Prefetch(
                "sections__post__sites",
                queryset=PostSite.objects.select_related("functional_authority"),
            )
        )
    return prefetches


class ConventionQuerySet(models.QuerySet):
    def for_list(self):
        # status() looks at the renewing conventions' signatures once a period has ended.
        return self.prefetch_related(
            *sections_prefetch(),
            "parties__organisation",
            "renewals",
            "amendments",
            "reporting_rules",
            "renewed_by__parties",
            "deliberations",
        )

    def for_detail(self):
        return self.select_related(
            "relay_organisation",
            "statistics_validator",
            "renews",
            "cancelled_by",
        ).prefetch_related(
            "parties__organisation",
            # A signature by delegation names who delegates (documents.signature_grid).
            models.Prefetch(
                "parties__representative",
                queryset=Representative.objects.select_related("delegated_by"),
            ),
            "associated_partners__organisation",
            "references",
            "articles",
            "annexes",
            "amendments__changes",
            "amendments__contribution_changes__contribution__organisation",
            "amendments__party_changes__organisation",
            "amendments__new_contributions__organisation",
            "renewals",
            "reporting_rules",
            "committee_members__organisation",
            # One query more only when a member names the person who sits.
            "committee_members__representative",
            *sections_prefetch(),
            "sections__post__holders",
            "renewed_by__parties",
            "deliberations",
        )

    def with_first_post(self):
        """``first_post_name`` and ``first_post_departement``: those of annex n° 1, to sort a
        list by post without repeating a convention that covers several."""
        first = ConventionPost.objects.filter(convention=OuterRef("pk")).order_by("number")
        return self.annotate(
            first_post_name=Subquery(first.values("post__name")[:1]),
            first_post_departement=Subquery(first.values("post__departement")[:1]),
        )

    def search(self, text):
        """Each word found in the reference, title, post, a site, a partner's name or its
        representative's names: « niort bely » finds the convention Mme Bely signs for Niort."""
        condition = words_match(
            text,
            "reference",
            "title",
            "posts__name",
            "posts__sites__name",
            "parties__organisation__name",
            "parties__organisation__short_name",
            "parties__representative__first_name",
            "parties__representative__last_name",
        )
        if condition is None:
            return self
        return self.filter(condition).distinct()

    def agreements(self):
        """Real conventions, not the model conventions that drafts start from."""
        return self.filter(is_template=False)

    def with_funding(self):
        """Everything ``funding_plan`` reads: conventions and posts, parties and
        organisations, renewals, amendments with their new amounts and party changes,
        contributions and organisations, payments and payers, post costs."""
        return self.prefetch_related(
            *sections_prefetch(with_sites=False),
            models.Prefetch("parties", queryset=Party.objects.select_related("organisation")),
            "renewals",
            "amendments__contribution_changes",
            "amendments__party_changes",
            *funding_prefetches(),
        )

    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    # Narrowing in SQL what the dates derived in Python decide --------------------------
    #
    # A period ends on the written end date, on a recorded renewal's end, or a duration
    # after the effective date (the stated date, else the last signature). SQL cannot add
    # a column's years to a date portably, so for each duration in use it searches the
    # effective dates that would end in the window. Tacit renewals roll on by themselves:
    # those conventions are always kept. Each method keeps a superset; Python decides.

    def with_term_start(self):
        """Annotate ``term_start``: the stated start date, else the last signature."""
        last_signature = (
            Party.objects.filter(convention=OuterRef("pk"), signs=True)
            .order_by()
            .values("convention")
            .annotate(last=Max("signed_on"))
            .values("last")
        )
        return self.annotate(
            term_start=Case(
                When(start_rule=StartRule.STATED_DATE, then=F("stated_start_date")),
                default=Subquery(last_signature),
            )
        )

    def _period_ends_between(self, first: datetime.date, last: datetime.date | None) -> Q:
        """Some period may end between ``first`` and ``last`` (None: any time after)."""

        def window(field, low, high):
            if high is None:
                return Q(**{f"{field}__gte": low})
            return Q(**{f"{field}__range": (low, high)})

        renewals = Renewal.objects.filter(window("end", first, last)).values("convention")
        condition = (
            window("end_date", first, last)
            | Q(pk__in=renewals)
            | Q(renewal_mode=RenewalMode.TACIT)
            | Q(pk__in=amended_terms())
        )
        durations = (
            self.model.objects.filter(duration_years__isnull=False)
            .order_by()
            .values_list("duration_years", flat=True)
            .distinct()
        )
        margin = datetime.timedelta(days=2)  # 29 February moves a year's end by a day
        for years in durations:
            high = None if last is None else add_years(last, -years) + margin
            condition |= Q(duration_years=years) & window(
                "term_start", add_years(first, -years) - margin, high
            )
        return condition

    def with_one_written_period(self):
        """Those whose only period runs from the effective date to the written end date
        (no renewal, recorded or tacit, and the end date governs): SQL alone knows it."""
        return self.filter(end_date__isnull=False).filter(
            Q(term_governed_by=TermGovernedBy.END_DATE) | Q(duration_years__isnull=True),
            ~Q(renewal_mode=RenewalMode.TACIT),
            ~Q(pk__in=Renewal.objects.values("convention")),
            ~Q(pk__in=amended_terms()),
        )

    def may_end_between(self, first: datetime.date, last: datetime.date):
        """Conventions whose current period may end between ``first`` and ``last``
        (``current_end_date`` decides)."""
        return self.with_term_start().filter(self._period_ends_between(first, last))

    def may_be_in_force_during(self, first: datetime.date, last: datetime.date):
        """Conventions with a period that may overlap ``first``–``last``: begun by ``last``,
        not ended before ``first`` (``periods`` decide)."""
        return (
            self.with_term_start()
            .filter(term_start__lte=last)
            .filter(self._period_ends_between(first, None))
        )

    def may_have_events_between(self, first: datetime.date, last: datetime.date):
        """Conventions that may have a dated event (an end, a notice, a report) between
        ``first`` and ``last`` (``convention_deadlines`` decides): begun by ``last``, and
        not ended nor terminated before the year before ``first`` (a year's reports fall
        due the next year)."""
        since = datetime.date(first.year - 1, 1, 1)
        return (
            self.with_term_start()
            .filter(term_start__lte=last)
            .filter(self._period_ends_between(since, None) | Q(terminated_on__gte=since))
        )

    def may_govern_between(self, first: datetime.date, last: datetime.date, *, posts=None):
        """Conventions ``activity.schedule.governing_convention`` may pick for a day between
        ``first`` and ``last``: those that may be in force then, and each post's convention
        begun last before ``first`` (its pick when none is in force). Ten years of older
        conventions are left out in SQL. ``posts`` (a queryset of posts) limits the search
        for the last begun to those posts: a département's board does not look for it in
        every post of the country (two seconds on the national dataset)."""
        stated = Q(start_rule=StartRule.STATED_DATE)
        has_periods = (stated & Q(stated_start_date__isnull=False)) | (
            ~stated & ~not_fully_signed()
        )
        has_end = Q(end_date__isnull=False) | Q(duration_years__isnull=False)
        begun_last_before = (
            self.model.objects.agreements()
            .filter(sections__post=OuterRef("post"))
            .with_term_start()
            .filter(has_periods, has_end, term_start__lt=first)
            .order_by("-term_start", "-pk")
            .values("pk")[:1]
        )
        # One per post covered (a framework convention covers several).
        sections = ConventionPost.objects.all()
        if posts is not None:
            sections = sections.filter(post__in=posts.values("pk"))
        last_of_each_post = sections.annotate(last=Subquery(begun_last_before)).values("last")
        in_window = self.may_be_in_force_during(first, last).values("pk")
        return self.filter(Q(pk__in=in_window) | Q(pk__in=last_of_each_post))

    def may_begin_after(self, day: datetime.date):
        """Conventions whose effective date may come after ``day`` (signed, not begun)."""
        return self.with_term_start().filter(term_start__gt=day)


def amended_terms():
    """Conventions with a signed amendment changing their dates: Python decides for them
    (``Convention.periods``), so the narrowing keeps them all."""
    changing = ~Q(new_renewal_mode="")
    for field in TERM_FIELDS:
        if field != "new_renewal_mode":
            changing |= Q(**{f"{field}__isnull": False})
    return Amendment.objects.filter(changing, signed_on__isnull=False).values("convention")


def not_fully_signed():
    """A convention (the query's ``pk``) with no signing party, or one yet to sign: the
    SQL twin of ``Convention.is_fully_signed``."""
    party = Party.objects.filter(convention=OuterRef("pk"), signs=True)
    return Exists(party.filter(signed_on__isnull=True)) | ~Exists(party)
