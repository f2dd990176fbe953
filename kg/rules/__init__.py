"""The indicator-quality rule catalogue (``../shared/quality-rules.md``, Q01–Q32).

Each rule is a small function registered under its id with a severity, an English and a
Chinese name and an explanation; ``RULES["Q01"](doc)`` runs one rule over one document dict.
The families: A measurable (Q01–Q08), B numbers (Q09–Q13), C structure (Q14–Q21) and
copies (Q22–Q24), D linkage to goals and money (Q25–Q28), E documentation (Q29–Q32).
"""

from kg.rules import copies, documentation, linkage, measurable, numbers, structure
from kg.rules.base import RULES, SEVERITIES, Finding, Hit, Rule, rule
from kg.rules.config import RuleConfig, load_config
from kg.rules.context import DocView, prepare

__all__ = [
    "RULES",
    "SEVERITIES",
    "DocView",
    "Finding",
    "Hit",
    "Rule",
    "RuleConfig",
    "load_config",
    "prepare",
    "rule",
]

# the family modules register their rules on import
_FAMILIES = (measurable, numbers, structure, copies, linkage, documentation)
