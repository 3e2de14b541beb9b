"""The private directory of uploaded files: outside the web root, random names, owner-only
permissions. Files are read back only through the views that check who asks."""

import os
import secrets
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(settings.ONLINE_PRIVATE_DIR)


def path_of(stored_name: str) -> Path:
    if not stored_name.isalnum():  # random hex only: no separators, no "..", no surprises
        raise ValueError("invalid stored name")
    return root() / stored_name[:2] / stored_name


def save(data: bytes) -> str:
    """Write `data` under a new random name and return that name."""
    stored_name = secrets.token_hex(20)
    path = path_of(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return stored_name


def delete(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)
