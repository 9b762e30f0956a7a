"""The presets by name: `accountable import PRESET FILE...`."""

from accountable.exchange.presets import northwind, online_retail, salesforce
from accountable.exchange.presets.base import Preset

PRESETS: dict[str, Preset] = {
    p.name: p for p in (salesforce.PRESET, northwind.PRESET, online_retail.PRESET)
}


def preset_for(name: str) -> Preset | None:
    """A built-in preset, or a saved column mapping of that name."""
    if name in PRESETS:
        return PRESETS[name]
    from accountable.exchange.models import ImportMapping
    from accountable.exchange.presets.mapping import mapping_preset

    mapping = ImportMapping.objects.filter(name=name).first()
    return mapping_preset(mapping) if mapping else None


def preset_names() -> list[str]:
    from accountable.exchange.models import ImportMapping

    return [*PRESETS, *ImportMapping.objects.values_list("name", flat=True)]
