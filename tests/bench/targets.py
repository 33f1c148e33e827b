"""The targets of docs/ARCHITECTURE.md's performance table, asserted by each benchmark."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """``measured`` must be at most ``limit``; ``unit`` follows both figures."""

    what: str
    measured: float
    limit: float
    unit: str

    def __str__(self) -> str:
        verdict = "met" if self.met else "MISSED"
        return (
            f"{self.what}: {self.measured:.3g}{self.unit} "
            f"(target <= {self.limit:g}{self.unit}, {verdict})"
        )

    @property
    def met(self) -> bool:
        return self.measured <= self.limit


def assert_targets(benchmark: str, *targets: Target) -> None:
    """Fail naming every target missed, with its measured figure; every figure is printed
    first, so a run shows how close the met ones came too."""
    for target in targets:
        print(f"{benchmark}: {target}", flush=True)
    missed = [str(target) for target in targets if not target.met]
    assert not missed, f"{benchmark} missed its target: " + "; ".join(missed)
