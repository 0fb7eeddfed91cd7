"""diazlog: a private, keyboard-driven symptom diary for people taking diazepam."""

__version__ = "0.1.0"
