"""The livrables' forms, one module per use case."""
