"""mali-kg: a knowledge graph of the article on UN Security Council Resolution 2690 (2023)."""

__version__ = "0.1.0"
