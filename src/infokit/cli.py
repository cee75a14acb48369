"""The ``infokit`` command line (placeholder until the CLI module is written)."""
import sys


def main(argv=None):
    from . import __version__
    print(f"infokit {__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
