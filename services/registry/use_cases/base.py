"""What every registry use case stands on: the attributes the application
builds (declared here so each area says what it uses) and the helpers more
than one area needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from services.registry.domain.child import MERGED, Child
from services.registry.domain.id_number_claims import IdNumberClaim
from services.registry.exceptions import ChildNotFound, DuplicateIdNumber
from services.registry.views import ChildrenView
from shared.eventstore import ServiceApplication
from shared.past_registers import PastRegisters

# A merged-away file leads to its survivor, which may itself have been merged;
# the chain is followed this far at most.
MAX_MERGE_CHAIN = 20


class RegistryBase(ServiceApplication):
    places: Mapping[str, frozenset[str]]  # town → its villages (shared/places.json)
    cadence: dict[int, int]  # risk tier → days between contacts
    children: ChildrenView  # the read model every list is answered from
    claim_key: bytes  # keys claim ids (CLAIM_KEY, or derived from CIPHER_KEY)
    past: PastRegisters  # lists rebuilt as they stood (use_cases/past.py)

    def _surviving_file(self, child_id: UUID) -> Child:
        """The file with this id or, if it was merged away, the file it lives on in."""
        child = self.load(Child, child_id, ChildNotFound)
        for _ in range(MAX_MERGE_CHAIN):
            if child.status != MERGED:
                break
            child = self.load(Child, child.merged_into, ChildNotFound)
        return child

    def _change_file(self, child_id: UUID, change: Callable[[Child], list[Any]]) -> Child:
        """Load the file, change it, save it with whatever `change` returns;
        on a concurrent change, again on the new state."""

        def attempt() -> tuple[Child, list[Any]]:
            child = self.load(Child, child_id, ChildNotFound)
            return child, [child, *change(child)]

        return self.retrying(child_id, attempt)

    def _claim(self, id_number: str, child_id: UUID) -> IdNumberClaim:
        """A claim on the number for this child, or DuplicateIdNumber (also
        when a claim made before claim ids were keyed holds the number)."""
        legacy = self.find(IdNumberClaim, IdNumberClaim.legacy_id(id_number))
        if legacy is not None and legacy.child_id is not None:
            raise DuplicateIdNumber(legacy.child_id)
        claim_id = IdNumberClaim.keyed_id(id_number, self.claim_key)
        claim = self.find(IdNumberClaim, claim_id)
        if claim is None:
            return IdNumberClaim.claim(claim_id, id_number, child_id)
        if claim.child_id is not None:
            raise DuplicateIdNumber(claim.child_id)
        claim.reclaim(child_id)
        return claim

    def _held_claim(self, id_number: str, child_id: UUID) -> IdNumberClaim | None:
        """The claim (keyed or from before) by which this child holds the number."""
        for claim_id in (IdNumberClaim.keyed_id(id_number, self.claim_key), IdNumberClaim.legacy_id(id_number)):
            claim = self.find(IdNumberClaim, claim_id)
            if claim is not None and claim.child_id == child_id:
                return claim
        keyed = self.find(IdNumberClaim, IdNumberClaim.keyed_id(id_number, self.claim_key))
        return keyed or self.find(IdNumberClaim, IdNumberClaim.legacy_id(id_number))
