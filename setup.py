"""Ships the clinic's top-level ``styles/`` folder inside the installed package.

Everything else is in pyproject.toml. ``styles/`` stays at the repository's top
level, where a clinic edits it; a wheel (``pip install .``) gets a copy of it as
``pipeline/_styles/`` (the folder's own name: the code that reads it is the
``pipeline/theme/`` subpackage), which ``pipeline.config.THEME_DIR`` prefers when it exists. An
editable install copies nothing: it reads the checkout's ``styles/`` itself.
The sdist carries ``styles/`` through MANIFEST.in.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

STYLES = Path(__file__).resolve().parent / "styles"
PACKAGED_STYLES = Path("pipeline", "_styles")  # inside build_lib; pipeline/config.py looks for it


class build_py_with_styles(build_py):
    """build_py, and a copy of ``styles/`` as ``pipeline/_styles/`` in the wheel."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        if not STYLES.is_dir():
            raise SystemExit(f"setup.py: the styles folder is missing: {STYLES}")
        target = Path(self.build_lib) / PACKAGED_STYLES
        # A fresh copy every time: a file deleted from styles/ must not live on
        # in build/lib from an earlier build.
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(STYLES, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        target = Path(self.build_lib) / PACKAGED_STYLES
        return outputs + [str(target / path.relative_to(STYLES))
                          for path in sorted(STYLES.rglob("*")) if path.is_file()]


setup(cmdclass={"build_py": build_py_with_styles})
