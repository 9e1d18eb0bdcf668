"""Borne citoyenne: the application (composition root, CLI) and its Qt-free domain."""

__version__ = "0.1.0"
