#!/usr/bin/env python
"""Fail when the virtualenv differs from the exact pins in requirements/ (no silent up/downgrades).

Every installed distribution (except pip itself) must be pinned, and at the pinned version.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORED = {"pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path, seen: set[Path] | None = None) -> dict[str, str]:
    seen = seen or set()
    if path in seen:
        return {}
    seen.add(path)
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip(), seen))
        elif "==" in line:
            name, version = line.split("==", 1)
            found[canonical(name.split("[", 1)[0])] = version.strip()
    return found


def main() -> int:
    wanted = pins(ROOT / "requirements" / "dev.txt")
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    problems = [
        f"{name}: installed {installed.get(name, 'nothing')}, pinned {version}"
        for name, version in sorted(wanted.items())
        if installed.get(name) != version
    ]
    problems += [
        f"{name} {version} is installed but not pinned in requirements/"
        for name, version in sorted(installed.items())
        if name not in wanted and name not in IGNORED
    ]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
