"""What the package holds, beyond pyproject.toml's metadata: the build steps it cannot declare.

- templates/, static/ and migrations/ stay at the top of the repository; the build maps them into
  the package, so an installed wsapp carries wsapp/templates/, wsapp/static/, wsapp/migrations/
  (wsapp/resources.py finds them there, or beside the package in a checkout).
- The translation catalogs are compiled (each messages.po into the messages.mo beside it) by the
  build itself: the .mo files are not in git, and a wheel without them shows every interface
  string in English. An editable install compiles them in place.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
CATALOGS = "wsapp/translations/*/LC_MESSAGES/messages.po"

# Folders at the top of the repository and the package each becomes once installed.
MAPPED = {
    "wsapp.templates": "templates",
    "wsapp.static": "static",
    "wsapp.migrations": "migrations",
    "wsapp.migrations.versions": "migrations/versions",
}


def catalogs(root: Path) -> list[Path]:
    """The catalogs' sources, relative to `root`."""
    return [po.relative_to(root) for po in sorted(root.glob(CATALOGS))]


def compile_catalogs(source: Path, target: Path) -> None:
    """Compile every catalog under `source` into the same relative path under `target`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in catalogs(source):
        with (source / po).open("rb") as file:
            catalog = read_po(file, abort_invalid=True)
        mo = target / po.with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as file:
            write_mo(file, catalog)


class BuildPy(build_py):
    """build_py, then the compiled catalogs: into the build (a wheel) or the checkout (editable)."""

    def run(self) -> None:
        super().run()
        compile_catalogs(HERE, HERE if self.editable_mode else Path(self.build_lib))

    def get_outputs(self, include_bytecode=True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if not self.editable_mode:
            built = Path(self.build_lib)
            outputs += [str(built / po.with_suffix(".mo")) for po in catalogs(HERE)]
        return outputs


class Sdist(sdist):
    """The source archive carries the compiled catalogs too, beside their sources."""

    def make_release_tree(self, base_dir, files) -> None:
        super().make_release_tree(base_dir, files)
        compile_catalogs(HERE, Path(base_dir))


setup(
    packages=find_packages(include=["wsapp", "wsapp.*"]) + list(MAPPED),
    package_dir=MAPPED,
    package_data={
        "wsapp": ["data/*", "translations/*.pot", "translations/*/LC_MESSAGES/*.po"],
        "wsapp.templates": ["**/*"],
        "wsapp.static": ["**/*"],
        "wsapp.migrations": ["README", "alembic.ini", "script.py.mako"],
    },
    include_package_data=False,
    cmdclass={"build_py": BuildPy, "sdist": Sdist},
)
