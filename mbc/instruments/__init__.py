"""Versioned instrument definitions: one TOML file per instrument version, checked on load.

from mbc.instruments import registry
phq9 = registry.get("phq9")          # the latest version
registry.versions("phq9"), registry.codes()
"""

from mbc.instruments.schema import Definition, DefinitionError

__all__ = ["Definition", "DefinitionError"]
