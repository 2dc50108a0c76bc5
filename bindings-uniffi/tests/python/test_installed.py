"""The suite tests the installed wheel, not the source tree:
scripts/bindings-uniffi.sh test-python pip-installs dist/'s wheel into a
fresh venv outside the repository and runs a copy of these tests there. If
`certbridge` came from anywhere else (a PYTHONPATH, a generated tree), every
other test would pass for the wrong artifact; this one fails instead."""

from __future__ import annotations

import sysconfig
from importlib import metadata
from pathlib import Path

import certbridge


def test_certbridge_is_imported_from_site_packages() -> None:
    package = Path(certbridge.__file__).resolve().parent
    site = {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    assert package.parent in site, f"certbridge imported from {package}, not from {site}"


def test_the_wheel_ships_its_library_and_type_marker() -> None:
    package = Path(certbridge.__file__).resolve().parent
    # PEP 561: without py.typed mypy ignores the package's annotations.
    assert (package / "py.typed").is_file()
    assert list(package.glob("libcertbridge_ffi*.so")), f"no cdylib in {package}"
    # auditwheel repair leaves nothing to graft: the library needs only
    # the manylinux system libraries, so no certbridge.libs/ directory.
    assert not (package.parent / "certbridge.libs").exists()


def test_installed_metadata() -> None:
    dist = metadata.distribution("certbridge")
    assert dist.metadata["Name"] == "certbridge"
    assert dist.metadata["Requires-Python"] == ">=3.9"
    wheel = dist.read_text("WHEEL") or ""
    assert "Tag: py3-none-manylinux_" in wheel, wheel
