"""Which outcome the materials on the counter allow (seed 001, 审批服务操作规程): everything
required is there → accept; the main materials are there but others are missing → accept
pending supplement, listing every missing item at once; a main material is missing → return."""

from collections.abc import Iterable
from dataclasses import dataclass

ACCEPT, SUPPLEMENT, RETURN = "accept", "supplement", "return"


@dataclass(frozen=True)
class RequiredMaterial:
    id: int
    is_required: bool
    is_key: bool


def missing_materials(materials: Iterable[RequiredMaterial], received: set[int]
                      ) -> list[RequiredMaterial]:
    return [m for m in materials if m.is_required and m.id not in received]


def propose_outcome(materials: Iterable[RequiredMaterial], received: set[int]) -> str:
    missing = missing_materials(materials, received)
    if any(m.is_key for m in missing):
        return RETURN
    return SUPPLEMENT if missing else ACCEPT
