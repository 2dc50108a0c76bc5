"""Runs the shared vectors (tests/vectors/*.json, format in its README.md)
through the Python API.

Each provider prefix of an ``op`` (``redtrust.login_url`` -> ``redtrust``)
maps to a module of op functions. Files of a supported provider are run
completely, and an op the module does not know fails, so a new vector is
never skipped silently; files of providers these bindings do not expose yet
are reported as skipped.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import certbridge

import vector_ops_acme
import vector_ops_crypto
import vector_ops_redtrust
import vector_ops_swisssign


def _vectors_dir() -> Path:
    """CERTBRIDGE_VECTORS (scripts/bindings-uniffi.sh sets it: the suite runs
    from a copy outside the repository, against the installed wheel), else
    the repository's tests/vectors when run in place."""
    env = os.environ.get("CERTBRIDGE_VECTORS")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "tests" / "vectors"
    if not (path / "README.md").is_file():
        raise RuntimeError(f"no shared vectors at {path}: set CERTBRIDGE_VECTORS to the repository's tests/vectors")
    return path


VECTORS_DIR = _vectors_dir()

# provider prefix -> {op name -> function(case) -> Outcome}
SUPPORTED: dict[str, dict[str, Callable[["Case"], Any]]] = {
    "redtrust": vector_ops_redtrust.OPS,
    "swisssign": vector_ops_swisssign.OPS,
    "crypto": vector_ops_crypto.OPS,
    "acme": vector_ops_acme.ACME_OPS,
    "identrust": vector_ops_acme.IDENTRUST_OPS,
}


class UnknownOp(Exception):
    """An op of a supported provider that this runner cannot map."""


class RunnerInputError(Exception):
    """The vector's input could not be mapped onto the API (the Rust runner
    reports these as ``invalid_input`` on the input's name too)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


@dataclass
class Case:
    file: str
    name: str
    op: str
    input: dict
    response: Optional[dict]
    expect: dict

    def str(self, key: str) -> str:
        value = self.input.get(key)
        return value if isinstance(value, str) else ""

    def opt_str(self, key: str) -> Optional[str]:
        value = self.input.get(key)
        return value if isinstance(value, str) else None

    def now_millis(self) -> int:
        return int(self.input.get("now", 0)) * 1000

    def http_response(self) -> certbridge.HttpResponse:
        r = self.response or {}
        if "body_base64" in r:
            body = base64.b64decode(r["body_base64"])
        elif "body" in r:
            body = r["body"].encode("utf-8")
        elif "body_json" in r:
            body = json.dumps(r["body_json"]).encode("utf-8")
        else:
            body = b""
        headers = [certbridge.HeaderField(name=n, value=v) for n, v in r.get("headers", [])]
        return certbridge.HttpResponse(status=int(r.get("status", 0)), headers=headers, body=body)


@dataclass
class Request:
    """What an op that builds a request produced."""

    value: certbridge.HttpRequest


@dataclass
class Value:
    """What an op that parses produced, as JSON with snake_case keys."""

    value: Any


def load_files() -> list[tuple[str, list[Case]]]:
    files = []
    for path in sorted(VECTORS_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        cases = [
            Case(
                file=path.name,
                name=c.get("name", ""),
                op=c.get("op", ""),
                input=c.get("input", {}),
                response=c.get("response"),
                expect=c.get("expect", {}),
            )
            for c in doc.get("cases", [])
        ]
        files.append((path.name, cases))
    return files


def provider_of(file_name: str) -> str:
    """`redtrust.json` and `redtrust-renewal.json` -> `redtrust`."""
    return file_name.removesuffix(".json").split("-")[0]


def supported_cases() -> tuple[list[Case], list[str]]:
    """Every case of a supported provider's files, and the skipped files."""
    cases, skipped = [], []
    for name, file_cases in load_files():
        if provider_of(name) in SUPPORTED:
            cases.extend(file_cases)
        else:
            skipped.append(name)
    return cases, skipped


def run(case: Case):
    prefix, _, op = case.op.partition(".")
    ops = SUPPORTED.get(prefix)
    if ops is None or op not in ops:
        raise UnknownOp(f"{case.file}: {case.name}: no Python mapping for op {case.op!r}")
    return ops[op](case)


def request_json(r: certbridge.HttpRequest) -> dict:
    return {
        "method": r.method.name,
        "url": r.url,
        "headers": [[h.name, h.value] for h in r.headers],
        "body": r.body.decode("utf-8", errors="replace"),
    }


def error_json(e: Exception) -> dict:
    if isinstance(e, RunnerInputError):
        return {"kind": "invalid_input", "code": None, "field": e.field, "message": str(e)}
    return {"kind": e.kind, "code": e.code, "field": e.field, "message": e.reason}


def subset_diff(path: str, expect: Any, actual: Any, out: list[str]) -> None:
    """Every key present in an expected object must match; keys the vector
    leaves out are not compared; arrays must have the same length."""
    if isinstance(expect, dict) and isinstance(actual, dict):
        for k, ev in expect.items():
            if k in actual:
                subset_diff(f"{path}.{k}", ev, actual[k], out)
            elif ev is not None:
                out.append(f"{path}.{k}: missing, expected {ev!r}")
    elif isinstance(expect, list) and isinstance(actual, list):
        if len(expect) != len(actual):
            out.append(f"{path}: expected {len(expect)} items, got {len(actual)}: {actual!r}")
            return
        for i, (ev, av) in enumerate(zip(expect, actual)):
            subset_diff(f"{path}[{i}]", ev, av, out)
    elif type(expect) is bool or type(actual) is bool:
        if expect is not actual:
            out.append(f"{path}: expected {expect!r}, got {actual!r}")
    elif expect != actual:
        out.append(f"{path}: expected {expect!r}, got {actual!r}")


def check(case: Case) -> list[str]:
    """Runs `case` and returns the differences from its expectation."""
    diffs: list[str] = []
    expect = case.expect
    try:
        outcome = run(case)
    except (certbridge.CertbridgeError, RunnerInputError) as e:
        want = expect.get("error")
        if want is None:
            return [f"failed with {error_json(e)}, expected {expect}"]
        got = error_json(e)
        subset_diff("error", {k: v for k, v in want.items() if k != "message_contains"}, got, diffs)
        contains = want.get("message_contains")
        if contains is not None and contains not in got["message"]:
            diffs.append(f"error message {got['message']!r} lacks {contains!r}")
        return diffs
    if isinstance(outcome, Request):
        want = expect.get("request")
        if want is None:
            return [f"produced a request, expected {expect}"]
        want = dict(want)
        want.setdefault("body", "")
        subset_diff("request", want, request_json(outcome.value), diffs)
    else:
        want = expect.get("value", ...)
        if want is ...:
            return [f"produced value {outcome.value!r}, expected {expect}"]
        subset_diff("value", want, outcome.value, diffs)
    return diffs
