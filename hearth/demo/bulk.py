"""Writing a whole council's new rows quickly, each with the history row the audited path would write.

``AuditedQuerySet.bulk_create`` spends most of its time in Django's SQL compiler, value by value:
fine for an import, too slow for the two million rows of a large synthetic council. This writer
gives the rows their primary keys up front and hands them to ``executemany`` in one prepared
statement per table, then writes one ChangeRecord per row with exactly the fields, actor and
snapshot ``AuditedQuerySet.bulk_create`` would have written (a test compares the two). It is
for the seed only: one writer, new rows only, inside the seed's transaction.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.base import ModelState
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditedModel, ChangeRecord

CHUNK = 5000
SEED_CACHE_KIB = 1024 * 1024  # 1 GiB of page cache while seeding (SQLite)
M = TypeVar("M", bound=models.Model)
_PLAIN = (str, int, bool, float, type(None))
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


@functools.cache
def _shape(model: type[models.Model]) -> tuple[dict[str, Any], list[tuple[str, Callable[[], Any]]],
                                                dict[str, models.Field]]:
    """Per model: constant defaults, defaults made afresh for each row (lists, dicts), relations by name."""
    fields = model._meta.concrete_fields
    fresh = [(f.attname, f.get_default) for f in fields if f.has_default() and callable(f.default)]
    constant = {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))}
    return constant, fresh, {f.name: f for f in fields if f.is_relation}


def new(model: type[M], **values: Any) -> M:
    """``model(**values)`` without Django's per-field __init__: a council makes a few million of these.

    Takes field names (or attnames) only; a related object may still be unsaved, as with __init__,
    and its id is taken when the row is written. No pre_init/post_init signals are sent.
    """
    constant, fresh, relations = _shape(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    row = obj.__dict__
    row.update(constant)
    for attname, default in fresh:
        row[attname] = default()
    for name, value in values.items():
        field = relations.get(name)
        if field is not None:
            row[field.attname] = None if value is None else value.pk
            if value is not None:
                obj._state.fields_cache[name] = value
        elif name in row:
            row[name] = value
        else:
            raise TypeError(f"{model.__name__} has no field {name!r}")
    return obj


def _js_time(value: Any) -> Any:
    """DjangoJSONEncoder.default for a date or datetime (ECMA-262 date time strings); anything else as it is."""
    if isinstance(value, datetime):
        text = value.isoformat()
        if value.microsecond:
            text = text[:23] + text[26:]
        if text.endswith("+00:00"):
            text = text.removesuffix("+00:00") + "Z"
        return text
    if isinstance(value, date):
        return value.isoformat()
    return value


class SeedWriter:
    def __init__(self, *, actor: Actor, using: str = DEFAULT_DB_ALIAS):
        if actor is None:
            raise ValueError("Seeded rows need a named actor for their history")
        self.actor = actor
        # The connection itself, not the django.db.connection proxy: millions of attribute reads go through it.
        self.connection = connections[using]
        self._next_pk: dict[type[models.Model], int] = {}
        self._written: set[type[models.Model]] = set()
        self.rows = 0
        self._cache_size: int | None = None
        if self.connection.vendor == "sqlite":
            # A large council's indexes outgrow SQLite's usual page cache; give the load a bigger one.
            with self.connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self._cache_size = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size=-{SEED_CACHE_KIB}")

    # ------------------------------------------------------------------------------------------ writing

    def save(self, model: type[models.Model], objs: Sequence[models.Model]) -> None:
        """Insert new rows (and, for audited models, their ChangeRecords). Sets each object's pk."""
        if not objs:
            return
        fields = [f for f in model._meta.concrete_fields]
        audited = issubclass(model, AuditedModel)
        stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        pk = self._next_pk.get(model)
        if pk is None:
            pk = (model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        relations = [f for f in fields if f.is_relation]
        for obj in objs:
            # A related object saved after this one was built: take its new id, as save() would.
            cache = obj._state.fields_cache
            for field in relations:
                related = cache.get(field.name)
                if related is not None and obj.__dict__.get(field.attname) is None:
                    if related.pk is None:
                        raise ValueError(f"{model._meta.label}.{field.name} points at an unsaved row")
                    obj.__dict__[field.attname] = related.pk
            obj.pk = pk
            pk += 1
            if audited:
                obj.version = 1  # type: ignore[attr-defined]
            for field in stamped:
                field.pre_save(obj, add=True)
            obj._state.adding = False
            obj._state.db = self.connection.alias
        self._next_pk[model] = pk
        self._written.add(model)
        self._insert(model, fields, objs)
        self.rows += len(objs)
        if audited:
            self._history(objs, fields)

    def finish(self) -> None:
        """Move each table's id sequence past the ids given here (PostgreSQL; SQLite keeps up by itself)."""
        tables = sorted(self._written, key=lambda m: m._meta.label)
        statements = self.connection.ops.sequence_reset_sql(no_style(), tables)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self._cache_size is not None:
                cursor.execute(f"PRAGMA cache_size={int(self._cache_size)}")

    # ------------------------------------------------------------------------------------------ internals

    def _converter(self, field: models.Field) -> Callable[[Any], Any]:
        prep, connection = field.get_db_prep_save, self.connection

        if isinstance(field, models.JSONField):
            if connection.vendor == "sqlite":
                # What JSONField hands SQLite (BaseDatabaseOperations.adapt_json_value), minus three calls a row.
                encode = (field.encoder or json.JSONEncoder)().encode
                return lambda value: None if value is None else encode(value)
            return lambda value: prep(value, connection)
        if connection.vendor == "sqlite" and type(field) in (models.DateField, models.DateTimeField):
            return self._sqlite_date_converter(field)

        def convert(value: Any) -> Any:
            # Strings, numbers and None go to the driver as they are; dates and times are adapted.
            return value if type(value) in _PLAIN else prep(value, connection)

        return convert

    def _sqlite_date_converter(self, field: models.Field) -> Callable[[Any], Any]:
        """What SQLite's adapt_date(time)field_value store, for the common case of a date or an aware datetime."""
        prep, connection = field.get_db_prep_save, self.connection
        utc = connection.timezone
        if isinstance(field, models.DateTimeField):
            def convert(value: Any) -> Any:
                if type(value) is datetime and value.tzinfo is not None and settings.USE_TZ:
                    return str(value.astimezone(utc).replace(tzinfo=None))
                return value if type(value) in _PLAIN else prep(value, connection)
        else:
            def convert(value: Any) -> Any:
                if type(value) is date:
                    return str(value)
                return value if type(value) in _PLAIN else prep(value, connection)
        return convert

    def _insert(self, model: type[models.Model], fields: list[models.Field], objs: Sequence[models.Model]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
        values_of = operator.attrgetter(*(f.attname for f in fields))
        # Text, numbers, booleans and ids are stored as they are; only the other fields need adapting.
        adapt = [(i, self._converter(f)) for i, f in enumerate(fields) if not isinstance(f, _AS_IS)]
        with self.connection.cursor() as cursor:
            for start in range(0, len(objs), CHUNK):
                rows = []
                for obj in objs[start:start + CHUNK]:
                    row = list(values_of(obj))
                    for i, convert in adapt:
                        row[i] = convert(row[i])
                    rows.append(row)
                cursor.executemany(sql, rows)

    def _history(self, objs: Sequence[models.Model], fields: list[models.Field]) -> None:
        # The row AuditedQuerySet.bulk_create writes for each created object (ChangeRecord.for_instance
        # with audit._snapshot): action create, version 1, nothing before, the whole row after.
        record_fields = [f for f in ChangeRecord._meta.concrete_fields if not f.primary_key]
        json_prep = self._converter(ChangeRecord._meta.get_field("after"))
        fixed: dict[str, Any] = {
            "model_label": objs[0]._meta.label,
            "action": ChangeRecord.Action.CREATE.value,
            "by_user_id": self.actor.user_id,
            "by_system": self.actor.system,
            "at": self._converter(ChangeRecord._meta.get_field("at"))(timezone.now()),
            "before": json_prep({}),
        }
        per_row = ("local_authority_id", "object_id", "version", "after")
        order = [f.attname for f in record_fields]
        if set(order) != set(fixed) | set(per_row):
            raise RuntimeError("ChangeRecord has changed shape; teach SeedWriter its new fields")
        template = [fixed.get(name) for name in order]
        at_la, at_id, at_version, at_after = (order.index(name) for name in per_row)
        attnames = [f.attname for f in fields]
        values_of = operator.attrgetter(*attnames)
        # Dates and times as DjangoJSONEncoder writes them, so the C encoder never calls back into Python.
        timed = [i for i, f in enumerate(fields) if isinstance(f, models.DateField)]
        fast = ChangeRecord._meta.get_field("after").encoder is DjangoJSONEncoder and self.connection.vendor == "sqlite"
        plain = json.JSONEncoder().encode
        rows = []
        for obj in objs:
            row = template.copy()
            row[at_la] = obj.local_authority_id  # type: ignore[attr-defined]
            row[at_id] = str(obj.pk)
            row[at_version] = obj.version  # type: ignore[attr-defined]
            values = list(values_of(obj))
            after = None
            if fast:
                for i in timed:
                    if values[i] is not None:
                        values[i] = _js_time(values[i])
                try:
                    after = plain(dict(zip(attnames, values, strict=True)))
                except TypeError:
                    after = None
            row[at_after] = after if after is not None else json_prep(dict(zip(attnames, values_of(obj), strict=True)))
            rows.append(row)
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in record_fields)
        sql = (f"INSERT INTO {quote(ChangeRecord._meta.db_table)} ({columns}) "
               f"VALUES ({', '.join(['%s'] * len(record_fields))})")
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), CHUNK):
                cursor.executemany(sql, rows[start:start + CHUNK])
        self.rows += len(rows)
