"""The audit log: every write and every refusal, SM3 hash-chained.

Each entry's hash is SM3(previous hash + canonical JSON of the entry). Appends take the row lock
on the single chain head, so the chain order is the commit order on every database.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from cryptography.hazmat.primitives import hashes
from django.db import models, transaction
from django.utils import timezone

from . import context
from .choices import AuditOutcome
from .identifiers import mask_id_numbers_in_text
from .models import AuditChainHead, AuditEntry, Center

GENESIS_HASH = "0" * 64
MASKED_FIELDS_ATTR = "audit_masked"  # set on a model field to log only its masked form
SECRET_FIELDS = frozenset({"password", "digest"})  # never logged, not even hashed


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def to_json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def masked(value):
    """`value` with every ID number in its text replaced by the masked form."""
    if isinstance(value, str):
        return mask_id_numbers_in_text(value)
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """Field values of `obj` as JSON values; sensitive fields only in masked form."""
    result = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        value = getattr(obj, field.attname)
        mask = getattr(field, "mask", None) if getattr(field, MASKED_FIELDS_ATTR, False) else None
        if mask is not None:
            value = mask(value)
        result[field.name] = to_json_value(value)
    return result


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


@dataclass(frozen=True)
class _Content:
    seq: int
    created_at: datetime
    action: str
    outcome: str
    actor_id: int | None
    actor_label: str
    center_id: int | None
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    message: str
    ip: str | None
    channel: str

    def canonical(self) -> bytes:
        data = dict(self.__dict__)
        data["created_at"] = self.created_at.astimezone(UTC).isoformat()
        return json.dumps(data, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":")).encode()


def entry_hash(prev_hash: str, content: _Content) -> str:
    return sm3_hex(prev_hash.encode() + content.canonical())


def content_of(entry: AuditEntry) -> _Content:
    return _Content(
        seq=entry.seq, created_at=entry.created_at, action=entry.action, outcome=entry.outcome,
        actor_id=entry.actor_id, actor_label=entry.actor_label, center_id=entry.center_id,
        object_type=entry.object_type, object_id=entry.object_id,
        object_repr=entry.object_repr, changes=entry.changes, message=entry.message,
        ip=entry.ip, channel=entry.channel,
    )


def _center_id_of(obj, center) -> int | None:
    if center is not None:
        return center.pk
    if isinstance(obj, Center):
        return obj.pk
    return getattr(obj, "center_id", None)


def _actor_fields(by) -> tuple[int | None, str]:
    if by is None or not getattr(by, "is_authenticated", False):
        return None, str(by or "")
    return by.pk, by.get_username()


def record(action: str, *, obj: models.Model | None = None, by=None, changes: dict | None = None,
           outcome: str = AuditOutcome.SUCCESS, message: str = "", center=None,
           object_label: str = "") -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction: it commits or rolls back with
    the change it describes."""
    ctx = context.current()
    actor_id, actor_label = _actor_fields(by)
    with transaction.atomic(savepoint=False):  # a failure here fails the change it describes
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
        content = _Content(
            seq=head.seq + 1,
            created_at=timezone.now(),
            action=action,
            outcome=str(outcome),
            actor_id=actor_id,
            actor_label=masked(actor_label),
            center_id=_center_id_of(obj, center),
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=masked(object_label or (str(obj) if obj is not None else ""))[:200],
            changes=masked(to_json_value(changes or {})),
            message=masked(message),
            ip=ctx.ip,
            channel=ctx.channel,
        )
        new_hash = entry_hash(head.hash, content)
        entry = AuditEntry.objects.create(prev_hash=head.hash, hash=new_hash, **content.__dict__)
        AuditChainHead.objects.filter(pk=1).update(seq=content.seq, hash=new_hash)
    return entry


def record_failure(action: str, *, by=None, obj=None, message: str, center=None) -> AuditEntry:
    """A refused action: recorded in its own transaction, after the refused one rolled back."""
    return record(action, obj=obj, by=by, outcome=AuditOutcome.FAILURE, message=message,
                  center=center)


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(batch_size: int = 5000) -> tuple[int, Break | None]:
    """Walk the chain in order; return (entries checked, first broken link or None)."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    queryset = AuditEntry.objects.order_by("seq")
    for entry in queryset.iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return checked, Break(expected_seq, "missing")
        if entry.prev_hash != prev_hash:
            return checked, Break(entry.seq, "prev_hash")
        if entry_hash(prev_hash, content_of(entry)) != entry.hash:
            return checked, Break(entry.seq, "content")
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != prev_hash):
        return checked, Break(checked + 1, "truncated")
    return checked, None
