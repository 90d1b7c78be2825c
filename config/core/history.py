"""Who changed what and when: the "Historique" section of the detail pages.

It reads the tables that django-simple-history keeps for each tracked model.
Shared by every app: each app names its objects (``register_subject``) and
builds its pages' sources. A page passes the history querysets that concern it
(the convention and its parties, articles, contributions…); each costs one query, which loads its
latest entries with the records they are compared with, their users and their
related objects. The number of queries is that of the sources, whatever the
number of entries.
"""

import datetime
import functools
import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connections, models
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import DeletedObject

from config.core.formats import euros, french_date, french_number

HISTORY_LIMIT = 50
# Raised when the wording of the entries changes, so that none worded the old way is
# read back from the cache after an update; kept a day at most anyway.
ENTRIES_LAYOUT = 1
KEPT_SECONDS = 24 * 60 * 60
# Bookkeeping that changes on every save and tells a reader nothing.
HIDDEN_FIELDS = frozenset({"id", "version", "created_at", "updated_at", "entered_at"})
# The link to the object a page is about: it never changes, so a creation need not list it.
PARENT_FIELDS = frozenset({"convention", "amendment", "deliberation", "report", "record"})
ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
TEXT_PREVIEW_CHARS = 200

# Filled by each app (``register_subject``), keyed by model label ("conventions.Payment"):
# how an entry names its object, and the related objects that name reads beyond the
# record's own foreign keys. A model not registered is named by its own __str__.
_SUBJECT_LABELS = {}
LABEL_RELATED = {}


def register_subject(model_label: str, *, label=None, related: tuple[str, ...] = ()) -> None:
    """How the history names an object of ``model_label``: ``label(record)`` and the
    relations it reads (loaded in the same query as the records)."""
    if label is not None:
        _SUBJECT_LABELS[model_label] = label
    if related:
        LABEL_RELATED[model_label] = related


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    date: datetime.datetime
    user: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)
    # A change to an object whose earlier state was never recorded (it predates the
    # history): its values are listed as they became, with nothing to compare them to.
    first_known: bool = False

    @property
    def is_creation(self) -> bool:
        return self.action == ACTIONS["+"]

    @property
    def lists_values(self) -> bool:
        return self.is_creation or self.first_known


def history_entries(sources, *, limit: int = HISTORY_LIMIT, kept: bool = False) -> list[Entry]:
    """The latest ``limit`` changes found in ``sources``, newest first.

    ``sources``: querysets of historical models (``Party.history.filter(...)``), one
    query each whatever they hold. A save that changed nothing a reader sees is left out.

    ``kept``: the entries are kept in the cache under a version of what they are read
    from (``_entries_key``), for the pages that show a history on every visit (a
    convention, a quarter's entry grid); asked again unchanged, they cost two queries.
    Only for sources that include the objects their parent links point to (the
    convention of its parties, the quarter of its months).
    """
    sources = list(sources)
    marks, related_marks, read = _last_marks(sources, related=kept)
    holding = [source for source, mark in zip(sources, marks, strict=True) if mark is not None]
    key = _entries_key(read, marks, related_marks, limit) if related_marks is not None else None
    if key is not None and (kept_entries := cache.get(key)) is not None:
        return _named(kept_entries)
    found = []
    for source in holding:
        found.extend(_latest_with_previous(source, limit))
    found.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)
    pairs = [
        (_entry(record, previous), record.history_user_id) for record, previous in found[:limit]
    ]
    pairs = [(entry, user_id) for entry, user_id in pairs if entry is not None]
    if key is not None:
        cache.set(key, pairs, KEPT_SECONDS)
    return [entry for entry, _user_id in pairs]


def _named(pairs) -> list[Entry]:
    """Kept entries with their authors' names as they are now (users have no history)."""
    user_ids = {user_id for _entry, user_id in pairs if user_id is not None}
    names = (
        {
            user.pk: user.get_full_name() or user.username
            for user in get_user_model()
            .objects.filter(pk__in=user_ids)
            .only("first_name", "last_name", "username")
        }
        if user_ids
        else {}
    )
    return [
        replace(entry, user=names.get(user_id, entry.user)) if user_id else entry
        for entry, user_id in pairs
    ]


def _related_models(history_model) -> set:
    """The tracked models whose rows an entry of ``history_model`` may name (its foreign
    keys, the relations its label reads), but the parent links: the page's own object
    and its parts, which are sources of the same history."""
    model = history_model.instance_type
    found = set()
    for model_field in model._meta.fields:
        if model_field.is_relation and model_field.name not in PARENT_FIELDS:
            found.add(model_field.related_model)
    for path in LABEL_RELATED.get(model._meta.label, ()):
        names = path.split("__")
        if names[0] in PARENT_FIELDS:
            continue
        current = model
        for name in names:
            current = current._meta.get_field(name).related_model
            found.add(current)
    return found


def _last_marks(sources, *, related: bool):
    """In one query: the last entry of each source (None when it holds none: many parts
    of a convention, annexes, committee, amendments…, have no history, and reading a
    source costs more than asking), and with ``related`` the last entry of each table
    of the models the entries may name (None when one of them has no history); the SQL
    of each source."""
    if not sources:
        return [], [], []
    alias = sources[0].db
    connection = connections[alias]
    parts, params, read = [], [], []
    for source in sources:
        sql, source_params = (
            source.order_by()
            .values("history_id", "history_date")
            .query.get_compiler(alias)
            .as_sql()
        )
        parts.append(_last_mark_sql(f"({sql}) source"))
        params.extend(source_params)
        read.append(f"{sql}|{source_params}")
    tables = _named_tables(sources) if related else None
    if tables:
        parts += [_last_mark_sql(connection.ops.quote_name(table)) for table in tables]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        marks = list(cursor.fetchone())
    if tables is None:
        return marks, None, read
    related_marks = list(zip(tables, marks[len(sources) :], strict=True))
    return marks[: len(sources)], related_marks, read


def _named_tables(sources) -> list[str] | None:
    """The history tables of the models the entries of ``sources`` may name; None when
    one of them has no history (a council's members): no version would tell its
    changes. The users have none either, but their names are read afresh (``_named``)."""
    models_ = {model for source in sources for model in _related_models(source.model)}
    models_.discard(get_user_model())
    if any(not hasattr(model._meta, "simple_history_manager_attribute") for model in models_):
        return None
    return _tracked_tables(models_)


def _entries_key(read, marks, related_marks, limit) -> str:
    """What the entries are read from: each source (its SQL, as it filters) with its
    last entry, the last entry of each table they may name, the number asked for."""
    parts = [f"{ENTRIES_LAYOUT}|{limit}"]
    parts += [f"{source}|{mark}" for source, mark in zip(read, marks, strict=True)]
    parts += [f"{table}={mark}" for table, mark in related_marks]
    return "history-entries:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _latest_with_previous(source, limit):
    """[(record, previous record of the same object or None)] for the latest ``limit``
    records of ``source``, in one query: the records, those they follow, their users
    and related objects."""
    model = source.model
    manager = model._default_manager
    latest = source.order_by("-history_date", "-history_id").values("history_id")[:limit]
    previous_id = (
        manager.filter(id=models.OuterRef("id"))
        .filter(
            Q(history_date__lt=models.OuterRef("history_date"))
            | Q(
                history_date=models.OuterRef("history_date"),
                history_id__lt=models.OuterRef("history_id"),
            )
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    previous = (
        manager.filter(history_id__in=latest)
        .annotate(previous_id=models.Subquery(previous_id))
        .values("previous_id")
    )
    related = [f.name for f in model._meta.fields if f.is_relation and f.name != "history_user"]
    related += LABEL_RELATED.get(model.instance_type._meta.label, ())
    loaded = list(
        manager.filter(Q(history_id__in=latest) | Q(history_id__in=previous))
        .annotate(
            is_latest=models.Case(
                models.When(history_id__in=latest, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
        .select_related("history_user", *related)
        .order_by("id", "history_date", "history_id")
    )
    pairs = []
    for index, record in enumerate(loaded):
        if not record.is_latest:
            continue  # loaded only to be compared with
        before = loaded[index - 1] if index else None
        pairs.append((record, before if before is not None and before.id == record.id else None))
    return pairs


def _entry(record, previous) -> Entry | None:
    model = record.instance_type
    if record.history_type == "-":
        changes = []
    elif record.history_type == "+" or previous is None:
        changes = [
            Change(_label(model, name), "", _display(record, name, getattr(record, name)))
            for name in _visible_fields(record)
            if name not in PARENT_FIELDS
            and getattr(record, _attname(model, name)) not in (None, "", False)
        ]
    else:
        changes = changes_between(previous, record)
        if not changes:
            return None
    user = record.history_user
    return Entry(
        date=timezone.localtime(record.history_date),
        user=(user.get_full_name() or user.username) if user else "",
        action=ACTIONS[record.history_type],
        subject=_subject(record),
        changes=changes,
        first_known=record.history_type == "~" and previous is None,
    )


def _visible_fields(record) -> list[str]:
    # diff_against() compares editable fields only (it reads them with model_to_dict()).
    return [
        f.name
        for f in record.instance_type._meta.fields
        if f.editable and f.name not in HIDDEN_FIELDS
    ]


def _field_order(model, name) -> int:
    return [f.name for f in model._meta.fields].index(name)


def _attname(model, name) -> str:
    return model._meta.get_field(name).attname


def _label(model, name) -> str:
    return _capitalised(model._meta.get_field(name).verbose_name)


def _capitalised(text) -> str:
    # str.capitalize() would lower "d'ISC" into "d'isc".
    text = str(text)
    return text[:1].upper() + text[1:]


def changes_between(before, after) -> list[Change]:
    """What differs between two records of one object, labelled and shown as on the pages."""
    model = after.instance_type
    delta = after.diff_against(
        before, included_fields=_visible_fields(after), foreign_keys_are_objs=True
    )
    return [
        Change(
            _label(model, c.field),
            _display(after, c.field, c.old),
            _display(after, c.field, c.new),
        )
        for c in sorted(delta.changes, key=lambda c: _field_order(model, c.field))
    ]


def record_display(instance: models.Model, name: str) -> str:
    """The value of field ``name`` of a saved row, shown as the history shows it."""
    return _display(instance, name, getattr(instance, name))


def _display(record, name, value) -> str:
    """A value as a reader expects it: labels of choices, dates in French, euros."""
    # A historical record, or a row itself (record_display).
    field_ = getattr(record, "instance_type", type(record))._meta.get_field(name)
    if isinstance(value, DeletedObject):
        return "" if value.pk is None else f"{field_.related_model._meta.verbose_name} supprimé(e)"
    if value is None or value == "":
        return ""
    if field_.is_relation:
        if hasattr(value, "get_full_name"):  # a user: by name, as elsewhere on the pages
            return value.get_full_name() or value.get_username()
        if isinstance(value, models.Model):
            return str(value)
        # The raw key of diff_against(): the object is the record's cached one.
        related = getattr(record, name, None)
        return str(related) if related is not None else ""
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{french_date(local.date())} à {local:%H:%M}"
    if isinstance(value, datetime.date):
        return french_date(value)
    if isinstance(value, Decimal):
        if field_.decimal_places == 2 and field_.max_digits == 12:
            return euros(value)
        return french_number(value, field_.decimal_places)
    if isinstance(field_, models.FileField):
        return "document déposé"
    return Truncator(str(value)).chars(TEXT_PREVIEW_CHARS)


def _subject(record) -> str:
    """ "Partie : La Commune de Niort" — what the entry is about, from the record itself."""
    model = record.instance_type
    name = _capitalised(model._meta.verbose_name)
    label = _SUBJECT_LABELS.get(model._meta.label, _model_str)(record)
    return f"{name} : {Truncator(label).chars(80)}" if label else name


def _model_str(record) -> str:
    """The model's own __str__ on the recorded state, its related objects already loaded."""
    instance = record.instance
    for field_ in record.instance_type._meta.fields:
        if field_.is_relation and field_.is_cached(record):
            field_.set_cached_value(instance, field_.get_cached_value(record))
    return str(instance)


@functools.cache
def _history_model(model):
    return model.history.model


def history_of(model) -> models.QuerySet:
    """``model.history.all()``: every historical record of ``model``. simple-history's
    ``model.history`` builds a new manager class at each use (half a millisecond), and a
    convention's page asks for some thirty sources."""
    return _history_model(model)._default_manager.all()


def belongs_to(field: str, parent, **lookup) -> Q:
    """``field`` points to a row of ``parent`` matching ``lookup``, now or in the past:
    rows that predate the history are only in the live table, deleted ones only in
    the history table. For sources one level further down (a contribution's payments)."""
    live = parent.objects.filter(**lookup).values("pk")
    past = history_of(parent).filter(**lookup).values("id")
    return Q(**{f"{field}__in": live}) | Q(**{f"{field}__in": past})


def _last_mark_sql(table_sql: str) -> str:
    """A scalar subquery: the last entry of ``table_sql`` (a table or a query of history
    rows) as « id@date », NULL when it holds none. The date as well as the id: SQLite
    gives the id of an entry rolled back to the next one written."""
    return (
        "(SELECT last.history_id || '@' || last.history_date FROM "  # noqa: S608 (SQL of ours)
        f"(SELECT history_id, history_date FROM {table_sql} "
        "ORDER BY history_id DESC LIMIT 1) last)"
    )


def _tracked_tables(models_) -> list[str]:
    return sorted(
        {
            model.history.model._meta.db_table
            for model in models_
            if hasattr(model._meta, "simple_history_manager_attribute")
        }
    )


def history_version(*app_labels: str) -> str:
    """A version of every tracked row of these apps: the last history entry of each of
    their tables, read in one query.

    Every save, bulk write and deletion of a tracked model leaves an entry (the services
    write through ``bulk_create_with_history``), so the version moves with any change of
    those rows, and a database restored to an earlier state gets that state's version
    back. What is computed from these rows alone may be kept under this version.
    """
    tables = _tracked_tables(
        model for label in app_labels for model in apps.get_app_config(label).get_models()
    )
    quote = connections["default"].ops.quote_name
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(_last_mark_sql(quote(table)) for table in tables))
        marks = cursor.fetchone()
    entries = ",".join(f"{table}={mark}" for table, mark in zip(tables, marks, strict=True))
    return hashlib.sha256(entries.encode()).hexdigest()[:24]
