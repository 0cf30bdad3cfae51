"""The practice-search benchmark (bench/README.md): run by bench/run.sh as ``python -m bench.…``
from the project's root; nothing here is imported by the project."""
