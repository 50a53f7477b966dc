"""Helpers shared by the test modules."""

from gradtheory.cli import main


def run_main(argv, capsys):
    """Run the CLI in-process as the console script does; return (exit code, stdout, stderr).

    argparse's ``--help``, ``--version`` and usage errors leave through ``SystemExit``; everything
    else returns its code from :func:`gradtheory.cli.main`.
    """
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
