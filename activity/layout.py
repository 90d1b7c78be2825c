"""The grid as plain data: what forms, checks, bilans and exports lay out.

Built once per request from a prefetched ``GridVersion`` (see
``GridVersion.objects.with_layout()``), so that the checks stay pure functions.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from activity.enums import GroupKind

# Stored in an indicator's label (« En présentiel {au_site} ») and replaced by the wording
# of the post's force: « au commissariat », « à la brigade », « au commissariat ou à la
# brigade » (issue #18). A label read for no post in particular (a département's bilan,
# a check's message) takes the last, which fits every post.
SITE_PLACEHOLDER = "{au_site}"
ANY_SITE = "au commissariat ou à la brigade"


def worded(label: str, at_site: str = ANY_SITE) -> str:
    return label.replace(SITE_PLACEHOLDER, at_site)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    help_text: str = ""


@dataclass(frozen=True)
class GroupSpec:
    code: str
    label: str
    kind: str
    total_code: str = ""
    help_text: str = ""
    indicators: tuple[IndicatorSpec, ...] = ()

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @property
    def is_partition(self) -> bool:
        return self.kind == GroupKind.PARTITION

    @property
    def is_multiple(self) -> bool:
        return self.kind == GroupKind.MULTIPLE


@dataclass(frozen=True)
class Layout:
    groups: tuple[GroupSpec, ...]

    @property
    def codes(self) -> list[str]:
        return [code for group in self.groups for code in group.codes]

    @property
    def labels(self) -> dict[str, str]:
        return {i.code: i.label for g in self.groups for i in g.indicators}

    def group(self, code: str) -> GroupSpec | None:
        return next((g for g in self.groups if g.code == code), None)


def layout_of(version, at_site: str = ANY_SITE) -> Layout:
    """The layout of ``version``, its labels worded for a post (``post.wording.at_site``)."""
    return Layout(
        tuple(
            GroupSpec(
                code=g.code,
                label=g.label,
                kind=g.kind,
                total_code=g.total_code,
                help_text=g.help_text,
                indicators=tuple(
                    IndicatorSpec(i.code, worded(i.label, at_site), i.help_text)
                    for i in g.indicators.all()
                ),
            )
            for g in version.groups.all()
        )
    )


def merge_layouts(layouts: Iterable[Layout]) -> Layout:
    """One layout for a period that spans grid versions, newest first.

    The newest version gives labels and order; an indicator that only older
    versions have is kept at the end of its group (or its whole group at the
    end), so that no figure entered in the period disappears from a bilan.
    """
    layouts = list(layouts)
    if not layouts:
        return Layout(())
    groups = {g.code: g for g in layouts[0].groups}
    order = list(groups)
    seen = set(layouts[0].codes)
    for older in layouts[1:]:
        for group in older.groups:
            extra = tuple(i for i in group.indicators if i.code not in seen)
            if not extra:
                continue
            seen.update(i.code for i in extra)
            if group.code in groups:
                current = groups[group.code]
                groups[group.code] = GroupSpec(
                    code=current.code,
                    label=current.label,
                    kind=current.kind,
                    total_code=current.total_code,
                    help_text=current.help_text,
                    indicators=current.indicators + extra,
                )
            else:
                groups[group.code] = GroupSpec(
                    code=group.code,
                    label=group.label,
                    kind=group.kind,
                    total_code=group.total_code,
                    help_text=group.help_text,
                    indicators=extra,
                )
                order.append(group.code)
    return Layout(tuple(groups[code] for code in order))
