"""jixiao-kg: performance-target tables as an RDF knowledge graph."""
