"""Run gunicorn from the benchmark's own virtualenv (bench/out/venv) inside the project's.

The project's virtualenv has no gunicorn and the benchmark adds nothing to it: this puts
bench/out/venv's site-packages at the *end* of sys.path, so Django and everything else
still come from the project's environment, then starts gunicorn with the given arguments.
"""

import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / "out" / "venv"

for site_packages in sorted(VENV.glob("lib/python*/site-packages")):
    sys.path.append(str(site_packages))

from gunicorn.app.wsgiapp import run  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "gunicorn"
    sys.exit(run())
