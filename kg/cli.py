"""The ``kg`` command: a thin shell over the library.

Each command lives in its own module under ``kg.commands`` and exposes a click
command named ``command``; this registry is the one place that lists them.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["COMMANDS", "cli", "main"]

# command name -> module defining ``command``; imported lazily so ``kg --help`` stays fast
COMMANDS: dict[str, str] = {
    "extract": "kg.commands.extract",
    "build": "kg.commands.build",
    "export": "kg.commands.export",
    "query": "kg.commands.query",
    "push": "kg.commands.push",
    "serve": "kg.commands.serve",
    "analyse": "kg.commands.analyse",
    "report": "kg.commands.report",
    "viz": "kg.commands.viz",
    "validate": "kg.commands.validate",
    "run": "kg.commands.run",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._find(name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._find(cmd_name)

    @staticmethod
    def _find(name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            # a command whose module is not written yet is simply absent
            if exc.name == module:
                return None
            raise
        cmd: click.Command = mod.command
        return cmd


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jixiao-kg")
def cli() -> None:
    """jixiao-kg: read 绩效目标表 (performance-target tables) into a knowledge graph.

    \b
    Example:
      kg run examples/ -o out/      # extract, build, analyse, report
      kg extract doc.txt -o rows.json
    """


def main() -> None:
    cli()
