"""What the tables say happened: targets checked against what was achieved, and targets carried over
from one year to the next.

``generate_outcomes(docs)`` judges every row of the self-evaluation tables (绩效自评表) and sums them
per project and department (``kg.outcomes.achieved``); ``generate_year_comparisons(docs)`` finds the
same project or department in two years and the indicators and targets carried over unchanged
(``kg.outcomes.years``); ``generate_outcome_triples`` writes both into RDF.
"""

from kg.outcomes.achieved import (
    Outcome,
    Outcomes,
    OutcomeSummary,
    RowOutcome,
    generate_outcomes,
    parse_outcome,
)
from kg.outcomes.triples import OUTCOMES_GRAPH, generate_outcome_triples
from kg.outcomes.years import Carry, TableRef, YearComparison, generate_year_comparisons

__all__ = [
    "OUTCOMES_GRAPH",
    "Carry",
    "Outcome",
    "OutcomeSummary",
    "Outcomes",
    "RowOutcome",
    "TableRef",
    "YearComparison",
    "generate_outcome_triples",
    "generate_outcomes",
    "generate_year_comparisons",
    "parse_outcome",
]
