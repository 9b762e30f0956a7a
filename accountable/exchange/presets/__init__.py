"""The presets by name: `accountable import PRESET FILE...`."""

from accountable.exchange.presets import northwind, online_retail, salesforce
from accountable.exchange.presets.base import Preset

PRESETS: dict[str, Preset] = {
    p.name: p for p in (salesforce.PRESET, northwind.PRESET, online_retail.PRESET)
}
