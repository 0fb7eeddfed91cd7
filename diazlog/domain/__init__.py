"""Pure Python: models, limits, red-flag rules and analysis. Imports nothing else of diazlog."""
