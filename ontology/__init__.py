"""The ontology files: the source of truth for every term the code uses.

``jixiao.ttl`` (the project's terms), ``framework.ttl`` (the indicator framework as SKOS
concepts) and ``shapes.ttl`` (SHACL shapes).  A package only so that an installed wheel
carries them; ``kg.vocab`` reads them from here.
"""

from pathlib import Path

__all__ = ["ONTOLOGY_DIR"]

ONTOLOGY_DIR = Path(__file__).resolve().parent
