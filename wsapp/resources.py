"""Where the app's files are: inside the installed package, or beside it in a checkout.

The repository keeps templates/, static/ and migrations/ at its top; the build maps them into the
package (setup.py), so an installed wsapp has wsapp/templates/ and so on. A checkout, and an
editable install of it, reads them from the top of the repository instead.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """The folder `name` (templates, static, migrations) the app reads its files from."""
    installed = PACKAGE / name
    if installed.is_dir():
        return installed
    checkout = PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    raise RuntimeError(
        f"wsapp's {name}/ folder is missing from {PACKAGE}: install wsapp from a wheel built by"
        " `make dist` (or `pip install .`), not by copying the wsapp/ folder"
    )
