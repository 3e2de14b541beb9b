"""The audit log: every write and every refusal, SM3 hash-chained.

An entry is written in the transaction of the change it describes, without a chain position;
sealing gives the committed entries theirs afterwards, in id order: the next sequence number,
the previous entry's hash, and its own hash SM3(previous hash + canonical JSON of the entry).
Sealing holds the row lock on the single chain head and runs after every commit that wrote an
entry (a sealer already at work is not waited for: it or the next one takes the new entries)
and as a worker job, so no change waits for the chain and the chain order is the sealing
order. Until sealed, an entry is protected by the database guard alone (core.dbguard), which
lets an unsealed row receive its seal and nothing else.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import context
from .choices import AuditOutcome
from .identifiers import mask_id_numbers_in_text
from .inserts import insert
from .models import AuditChainHead, AuditEntry, Center

GENESIS_HASH = "0" * 64
MASKED_FIELDS_ATTR = "audit_masked"  # set on a model field to log only its masked form
SECRET_FIELDS = frozenset({"password", "digest"})  # never logged, not even hashed


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


_PLAIN = frozenset({str, int, bool, float, type(None)})  # most values: returned as they are


def to_json_value(value):
    if type(value) in _PLAIN:
        return value
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
    seq: int | None
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


def content_of(entry: AuditEntry, *, seq: int | None = None) -> _Content:
    """What the hash covers; `seq` is the position being given to an unsealed entry."""
    return _Content(
        seq=entry.seq if seq is None else seq, created_at=entry.created_at,
        action=entry.action, outcome=entry.outcome,
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
    """Append one unsealed entry. Runs inside the caller's transaction: it commits or rolls
    back with the change it describes; sealing follows the commit."""
    ctx = context.current()
    actor_id, actor_label = _actor_fields(by)
    entry = insert(AuditEntry(
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
    ))
    if getattr(settings, "AUDIT_SEAL_AFTER_COMMIT", True):
        _seal_after_commit()
    return entry


def _seal_after_commit() -> None:
    """Once per transaction, however many entries it writes."""
    if not any(hook[1] is _seal_without_waiting for hook in connection.run_on_commit):
        transaction.on_commit(_seal_without_waiting, robust=True)


def _seal_without_waiting() -> None:
    seal(wait=False)


def seal(*, batch_size: int = 1000, wait: bool = True) -> int:
    """Give every committed unsealed entry its place in the chain; returns how many were
    sealed. With wait=False it returns 0 at once when another sealer holds the chain head
    (PostgreSQL; SQLite's transactions take turns anyway)."""
    sealed = 0
    while True:
        done = _seal_batch(batch_size, wait=wait)
        sealed += done
        if done < batch_size:
            return sealed


def _seal_batch(batch_size: int, *, wait: bool) -> int:
    with transaction.atomic():
        head = _locked_head(wait=wait)
        if head is None:
            return 0
        pending = list(AuditEntry.objects.filter(hash__isnull=True).order_by("pk")[:batch_size])
        if not pending:
            return 0
        seq, prev_hash, rows = head.seq, head.hash, []
        for entry in pending:
            seq += 1
            new_hash = entry_hash(prev_hash, content_of(entry, seq=seq))
            rows.append((seq, prev_hash, new_hash, entry.pk))
            prev_hash = new_hash
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # a lost seal is redone by the next sealer
                cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.executemany(
                "UPDATE core_auditentry SET seq = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s AND hash IS NULL", rows)
        AuditChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev_hash)
        return len(rows)


def _locked_head(*, wait: bool) -> AuditChainHead | None:
    """The chain head under this transaction's lock, created on first use; None when another
    sealer holds it and `wait` is off."""
    heads = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1)
    head = heads.first()
    if head is None and AuditChainHead.objects.get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})[1]:
        head = heads.first()  # the row this transaction just made, so locked by it
    return head


def record_failure(action: str, *, by=None, obj=None, message: str, center=None) -> AuditEntry:
    """A refused action: recorded in its own transaction, after the refused one rolled back."""
    return record(action, obj=obj, by=by, outcome=AuditOutcome.FAILURE, message=message,
                  center=center)


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(batch_size: int = 5000) -> tuple[int, Break | None]:
    """Walk the sealed chain in order; return (entries checked, first broken link or None).
    Entries not sealed yet are not part of the chain (see `unsealed`)."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    queryset = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
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


def unsealed() -> int:
    return AuditEntry.objects.filter(hash__isnull=True).count()
