"""Where the dbt project is: the package is code, the project (dbt_project.yml, seeds, documents,
feeds, profiles.yml) is what it works on.

The project is ``$NTP_PROJECT_DIR`` when set (``ntp --project-dir`` sets it), else the nearest folder
at or above the working directory that holds the ntp_poverty ``dbt_project.yml``, else the checkout
this package is installed from (an editable install, as ``make venv`` makes). A test or a deployment
that copies the project runs ``ntp`` in the copy and works on the copy.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

PROJECT_FILE = "dbt_project.yml"
PROJECT_ENV = "NTP_PROJECT_DIR"
NAME_LINE = re.compile(r"^name:\s*['\"]?ntp_poverty['\"]?\s*$", re.MULTILINE)


class ProjectNotFoundError(RuntimeError):
    """No ntp_poverty dbt project was found where one was expected."""


def _is_project(folder: Path) -> bool:
    marker = folder / PROJECT_FILE
    return marker.is_file() and NAME_LINE.search(marker.read_text(encoding="utf-8")) is not None


def project_dir() -> Path:
    """The project folder (absolute); raise ProjectNotFoundError if there is none."""
    if configured := os.environ.get(PROJECT_ENV):
        folder = Path(configured).resolve()
        if not _is_project(folder):
            raise ProjectNotFoundError(f"{PROJECT_ENV}={configured}: no ntp_poverty {PROJECT_FILE} there")
        return folder
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    checkout = Path(__file__).resolve().parents[2]  # src/ntp_poverty/project.py -> the checkout
    if _is_project(checkout):
        return checkout
    raise ProjectNotFoundError(
        f"no ntp_poverty {PROJECT_FILE} at or above {here}; run ntp in the project or set {PROJECT_ENV}"
    )
