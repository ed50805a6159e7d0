"""Order risk: features from the shop's orders, an unsupervised detector until there are labels,
a calibrated LightGBM model after, reasons in words, and the seller's rules (docs/risk.md)."""

from borderless.capabilities.risk.features import FEATURE_NAMES, FEATURES, Line, OrderRecord
from borderless.capabilities.risk.rules import ACTIONS, DEFAULT_RULES, RuleSet, parse_rules

__all__ = [
    "ACTIONS",
    "DEFAULT_RULES",
    "FEATURES",
    "FEATURE_NAMES",
    "Line",
    "OrderRecord",
    "RuleSet",
    "parse_rules",
]
