"""History of every change to case data, written in the same transaction as the change.

Audited models refuse the bulk paths that would skip history (``QuerySet.update``,
``delete``, ``bulk_update``); ``bulk_create`` is allowed and records history in bulk.
Every save also checks the row's version so a stale edit is refused, never applied.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from .actor import Actor, as_actor, current_actor


class AuditBypassError(RuntimeError):
    """A write path that would change case data without leaving history."""


class UnattributedChangeError(RuntimeError):
    """An audited change with nobody to attribute it to."""


class StaleVersionError(Exception):
    """Someone else saved this record after the editor loaded it."""

    def __init__(self, instance: models.Model, current_version: int, last_change: ChangeRecord | None):
        self.instance = instance
        self.current_version = current_version
        self.last_change = last_change
        super().__init__(f"{instance._meta.label} {instance.pk} is at version {current_version}")


class _HistoryEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        # A stored file is recorded by its name, as the database holds it.
        if isinstance(o, FieldFile):
            return o.name or ""
        return super().default(o)


def last_change_of(instance: models.Model) -> ChangeRecord | None:
    """The latest change recorded to ``instance``: who saved last, for a stale-edit message."""
    return (ChangeRecord.objects.filter(model_label=instance._meta.label, object_id=str(instance.pk))
            .select_related("by_user").order_by("-at", "-id").first())


def refuse_stale(instance: Any, expected_version: int | None) -> None:
    """Refuse an edit made from a copy older than ``instance`` (already read, usually under its row lock),
    naming who saved last, as ``AuditedModel.save`` would. ``None``: no version was sent, nothing to check."""
    if expected_version is not None and instance.version != expected_version:
        raise StaleVersionError(instance, instance.version, last_change_of(instance))


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(values, cls=_HistoryEncoder))
    return result


def _snapshot(instance: models.Model) -> dict[str, Any]:
    return _plain({f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields})


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditBypassError(f"{self.model._meta.label}: bulk update skips history; save each record")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditBypassError(f"{self.model._meta.label}: records are never deleted; close or retire them")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditBypassError(f"{self.model._meta.label}: bulk update skips history; save each record")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        actor = _require_actor(None)
        with transaction.atomic(using=self.db):
            for obj in objs:
                obj.version = 1
            created = super().bulk_create(objs, *args, **kwargs)
            ChangeRecord.objects.bulk_create(
                [
                    ChangeRecord.for_instance(obj, actor=actor, action=ChangeRecord.Action.CREATE,
                                              before={}, after=_snapshot(obj))
                    for obj in created
                ],
                batch_size=kwargs.get("batch_size"),
            )
        return created


AuditedManager = models.Manager.from_queryset(AuditedQuerySet)


def _require_actor(by: Any) -> Actor:
    actor = as_actor(by) if by is not None else current_actor()
    if actor is None:
        raise UnattributedChangeError("Audited changes must be made by a user or a named system process")
    return actor


class AuditedModel(models.Model):
    """Base for case data: versioned, history-keeping, never hard-deleted."""

    version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[Any] = AuditedManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, by: Any = None, **kwargs: Any) -> None:
        actor = _require_actor(by)
        with transaction.atomic():
            if self._state.adding:
                self.version = 1
                super().save(*args, **kwargs)
                ChangeRecord.for_instance(
                    self, actor=actor, action=ChangeRecord.Action.CREATE, before={}, after=_snapshot(self)
                ).save()
                return
            stored = (
                type(self)._base_manager.select_for_update().filter(pk=self.pk).values().first()
            )
            if stored is None:
                raise AuditBypassError(f"{self._meta.label} {self.pk} no longer exists")
            if stored["version"] != self.version:
                raise StaleVersionError(self, stored["version"], last_change_of(self))
            before_all = _plain(dict(stored))
            self.version += 1
            super().save(*args, **kwargs)
            after_all = _snapshot(self)
            changed = [k for k in after_all if k != "version" and before_all.get(k) != after_all[k]]
            ChangeRecord.for_instance(
                self,
                actor=actor,
                action=ChangeRecord.Action.UPDATE,
                before={k: before_all.get(k) for k in changed},
                after={k: after_all[k] for k in changed},
            ).save()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditBypassError(f"{self._meta.label}: records are never deleted; close or retire them")


class ChangeRecord(models.Model):
    """One create or update of an audited record: who, when, and the fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        MERGE = "merge", "Merged"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT)
    model_label = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    action = models.CharField(max_length=10, choices=Action.choices)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_system = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    version = models.PositiveIntegerField()
    before = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        indexes = [models.Index(fields=["model_label", "object_id", "at"])]
        ordering = ["-at", "-id"]

    @classmethod
    def for_instance(
        cls, instance: models.Model, *, actor: Actor, action: str, before: dict, after: dict
    ) -> ChangeRecord:
        la_id = getattr(instance, "local_authority_id", None)
        if la_id is None and instance._meta.label == "tenancy.LocalAuthority":
            la_id = instance.pk
        if la_id is None:
            raise ValueError(f"{instance._meta.label} has no local authority; every case record needs one")
        return cls(
            local_authority_id=la_id,
            model_label=instance._meta.label,
            object_id=str(instance.pk),
            action=action,
            by_user_id=actor.user_id,
            by_system=actor.system,
            version=getattr(instance, "version", 0),
            before=before,
            after=after,
        )

    @property
    def changed_fields(self) -> list[str]:
        return sorted(set(self.before) | set(self.after))
