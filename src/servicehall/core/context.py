"""Who is acting and from where, for the audit log, without passing a request around."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorContext:
    ip: str | None = None
    channel: str = "system"


_current: ContextVar[ActorContext] = ContextVar(
    "servicehall_actor", default=ActorContext())  # noqa: B039 - frozen, so immutable


def current() -> ActorContext:
    return _current.get()


def enter(ctx: ActorContext):
    return _current.set(ctx)


def leave(token) -> None:
    _current.reset(token)
