# expect: ok  (dataclasses and typing)
from dataclasses import asdict, dataclass, field
import json


@dataclass
class Item:
    sku: str
    name: str
    quantity: int = 0
    tags: list[str] = field(default_factory=list)

    @property
    def in_stock(self) -> bool:
        return self.quantity > 0


items = [Item("A1", "bolt", 40, ["metal"]), Item("B2", "glue")]
print(json.dumps([asdict(i) for i in items if i.in_stock], indent=1))
