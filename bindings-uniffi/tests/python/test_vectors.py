"""The shared vectors, run through the Python API."""

import pytest

import vector_runner as vr

CASES, SKIPPED = vr.supported_cases()


def test_supported_files_have_cases():
    # At least the Redtrust file exists and is read: a path mistake must not
    # turn the whole suite into zero passing cases.
    assert any(c.file == "redtrust.json" for c in CASES)
    for name in ("swisssign-endpoints.json", "swisssign-errors.json", "swisssign-jwt.json",
                 "swisssign-shapes.json", "crypto-certificates.json"):
        assert any(c.file == name for c in CASES), name
    assert len(CASES) >= 300


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_vector(case):
    diffs = vr.check(case)
    assert not diffs, "\n".join(diffs)


def test_unknown_op_of_a_supported_provider_fails():
    case = vr.Case(file="redtrust.json", name="x", op="redtrust.no_such_op", input={}, response=None, expect={})
    with pytest.raises(vr.UnknownOp):
        vr.check(case)


def test_other_providers_files_are_only_skipped():
    assert all(vr.provider_of(f) not in vr.SUPPORTED for f in SKIPPED)
