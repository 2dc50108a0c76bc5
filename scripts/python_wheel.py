#!/usr/bin/env python3
"""Packs the certbridge Python wheel from what `scripts/bindings-uniffi.sh
build` already made: the release cdylib and the Python modules uniffi
generated from it (library mode). No second cargo build: maturin would
compile the crate again, in another profile, to run uniffi-bindgen.

    python3 scripts/python_wheel.py --package DIR --so LIB --version V \
        --plat linux_x86_64 --out DIR [--strip STRIP]

DIR is the generated package (`certbridge/` with the namespaces'
modules and `__init__.py`); LIB is the cdylib copied into it. The wheel is
tagged py3-none-<plat>: the modules load the library through ctypes, so
one wheel serves every CPython 3 (no extension-module ABI). Its metadata
comes from bindings-uniffi/pyproject.toml, the one the sdist uses too.
`auditwheel repair` then turns linux_<arch> into the manylinux tag the
library's symbol versions allow (scripts/bindings-uniffi.sh dist-python).

The staged copy of the generated modules gets two fixes so that user code
type-checks under `mypy --strict` (see `fix_annotations`), and a
`py.typed` marker (PEP 561) so that mypy reads the package's annotations at
all. Printed on stdout: the wheel's path.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "bindings-uniffi" / "pyproject.toml"
README = ROOT / "bindings-uniffi" / "README.md"
NAME = "certbridge"
# Zip entries carry this timestamp, so two packings of the same inputs give
# the same bytes (and the same SHA256SUMS line).
EPOCH = (1980, 1, 1, 0, 0, 0)


# CertbridgeError's fields, the same in every variant (bindings-uniffi/src/
# error.rs), with their Python types.
ERROR_FIELDS = {
    "kind": "str",
    "code": "typing.Optional[str]",
    "field": "typing.Optional[str]",
    "reason": "str",
    "status": "typing.Optional[int]",
    "correlation_id": "typing.Optional[str]",
    "retry_after": "typing.Optional[Timestamp]",
}


def fix_annotations(source: str) -> tuple[str, int]:
    """uniffi 0.32's Python templates leave two gaps that a caller checked
    with `mypy --strict` falls into:

    - a parameterless constructor, `def __init__(self, ):`, has no
      annotation at all, so mypy takes it as untyped and `CsrBuilder()` is
      `Call to untyped function ... in typed context`: it gets `-> None`;
    - the error enum is a bare `class CertbridgeError(Exception): pass`
      that mypy sees (the variants are attached at run time), so
      `except certbridge.CertbridgeError as e: e.kind` is an attr-defined
      error and `CertbridgeError.InvalidInput` unknown: the class gets its
      fields and its variants declared (annotations only; nothing changes
      at run time).

    Returns the fixed text and how many fixes applied, so that a template
    change that turns them into no-ops fails the packing (checked in main)."""
    fixed, n = re.subn(r"^(\s+def __init__\(self,?\s*\)):", r"\1 -> None:", source, flags=re.M)
    variants = re.findall(r"^    _UniffiTempCertbridgeError\.(\w+) = \1 # type: ignore$", fixed, flags=re.M)
    if variants:
        params = ", ".join(ERROR_FIELDS)
        inits = re.findall(r"^        def __init__\(self, ([^)]*)\):", fixed.split("_UniffiTempCertbridgeError = ")[1], re.M)
        if any(p != params for p in inits[: len(variants)]):
            sys.exit(f"CertbridgeError's fields changed (expected {params}): update ERROR_FIELDS")
        decl = "".join(f"    {k}: {t}\n" for k, t in ERROR_FIELDS.items())
        decl += "".join(f'    {v}: "type[CertbridgeError]"\n' for v in variants)
        fixed, m = re.subn(
            r'^(class CertbridgeError\(Exception\):\n    """.*?"""\n)    pass\n',
            lambda mo: str(mo.group(1)) + decl,
            fixed,
            count=1,
            flags=re.M | re.S,
        )
        if m != 1:
            sys.exit("the generated CertbridgeError base class changed shape: update fix_annotations")
        n += m
    return fixed, n


def metadata(version: str) -> str:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {version}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
        f"License: {project['license']['text']}",
    ]
    lines += [f"Classifier: {c}" for c in project.get("classifiers", [])]
    lines += ["Description-Content-Type: text/markdown", "", README.read_text()]
    return "\n".join(lines)


def record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--package", type=Path, required=True, help="the generated certbridge/ package")
    ap.add_argument("--so", type=Path, required=True, help="the release cdylib")
    ap.add_argument("--version", required=True)
    ap.add_argument("--plat", required=True, help="linux_x86_64, linux_aarch64")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--strip", help="strip program for the wheel's copy of the library")
    args = ap.parse_args()

    modules = sorted(args.package.glob("*.py"))
    if not (args.package / "__init__.py").is_file() or len(modules) < 2:
        sys.exit(f"{args.package} holds no generated package: run scripts/bindings-uniffi.sh build")
    if not args.so.is_file():
        sys.exit(f"{args.so} is missing: run scripts/bindings-uniffi.sh build")

    files: dict[str, bytes] = {}
    fixes = 0
    for m in modules:
        text, n = fix_annotations(m.read_text())
        fixes += n
        files[f"{NAME}/{m.name}"] = text.encode()
    if fixes == 0:
        sys.exit("fix_annotations changed nothing: the uniffi templates changed, check mypy --strict by hand")
    files[f"{NAME}/py.typed"] = b""
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / args.so.name
        shutil.copyfile(args.so, lib)
        if args.strip:
            # The symbol table serves debuggers only: ctypes and uniffi
            # resolve the exported functions through the dynamic symbols,
            # which --strip-unneeded keeps.
            subprocess.run([args.strip, "--strip-unneeded", str(lib)], check=True)
        files[f"{NAME}/{args.so.name}"] = lib.read_bytes()

    tag = f"py3-none-{args.plat}"
    dist_info = f"{NAME}-{args.version}.dist-info"
    files[f"{dist_info}/METADATA"] = metadata(args.version).encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\n"
        "Generator: certbridge scripts/python_wheel.py\n"
        "Root-Is-Purelib: false\n"
        f"Tag: {tag}\n"
    ).encode()
    record = [record_line(name, data) for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    args.out.mkdir(parents=True, exist_ok=True)
    wheel = args.out / f"{NAME}-{args.version}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            # rwxr-xr-x for the library, rw-r--r-- for the rest.
            mode = 0o755 if name.endswith(".so") else 0o644
            info.external_attr = (0o100000 | mode) << 16
            z.writestr(info, data)
    print(wheel)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
