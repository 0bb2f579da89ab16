"""Run the CLI exactly as the console script does (through `generator.cli.main`), capturing what it prints.

click's CliRunner.invoke would bypass `main`, where input errors become `error: ...` and exit code 2, so CLI
tests use `run_cli` to see the exact text and exit code a person sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from generator.cli import main


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, input: str | None = None, env: dict | None = None) -> Result:
    runner = CliRunner()
    with runner.isolation(input=input, env=env) as streams:
        stdout, stderr = streams[0], streams[1]
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        else:
            code = 0
        return Result(code, stdout.getvalue().decode("utf-8"), stderr.getvalue().decode("utf-8"))
