"""Entry point of the ``corridor`` command and of ``python -m corridor``.

The Typer app lives in the repository's top-level ``cli.py``. The wheel ships it as
``corridor/cli.py``; a source checkout or an editable install has it as the top-level
module ``cli``. Both are the same file.
"""

from __future__ import annotations

from types import ModuleType


def cli_module() -> ModuleType:
    """Return the module holding the Typer app, wherever this install keeps it."""
    import importlib

    try:
        return importlib.import_module("corridor.cli")
    except ModuleNotFoundError as err:
        if err.name != "corridor.cli":
            raise
        return importlib.import_module("cli")


def main() -> None:
    cli_module().main()


if __name__ == "__main__":
    main()
