"""The report's rows held to a real service's recorded answers (:class:`.report.Real`):
what counts as "the same as real", without a running demo cloud or real service."""

from __future__ import annotations

from .probe import Endpoint, Outcome
from .report import REAL, Real, _held_line, _refusals, _unsampled_section

REAL_X = Real("X 1", facts={"/things": [{"things": [{"id": "", "name": ""}]}]},
              status={"/things": [200, ""], "/things/{id}/check": [204, "no body"],
                      "/gone": [410, "This API is no longer available."],
                      "/page": [200, "text/html"]},
              files="`x_real.json`", test="tests/x.py", kinds="a thing")


def _got(path: str, status: int, answer: object = None, *, compared: bool = False,
         exact: bool = False) -> Outcome:
    out = Outcome(Endpoint("x", "GET", path), status=status, served=200 <= status < 300,
                  compared=compared, answer=answer)
    out.difference = None if exact else ("(root): differs" if compared else None)
    return out


def test_the_same_status_and_real_keys_count() -> None:
    assert REAL_X.same(_got("/things", 200, {"things": [{"id": "a", "name": "b"}]})) is None
    assert REAL_X.same(_got("/things", 200, {"things": [{"id": "a"}]})) == \
        "things[0].name: missing"
    assert REAL_X.same(_got("/things", 201, {"things": []})) == "status 201, real 200"


def test_no_body_counts_only_where_real_sends_none() -> None:
    assert REAL_X.same(_got("/things/{id}/check", 204)) is None
    assert REAL_X.same(_got("/things/{id}/check", 204, {"a": 1})) == "a body, real has none"
    assert REAL_X.same(_got("/things/{id}/check", 404)) == "status 404, real 204"
    assert REAL_X.same(_got("/page", 200)) == "not JSON, real text/html"
    assert REAL_X.same(_got("/nowhere", 200)) == "not asked of the real service"


def test_the_held_line_counts_sample_exact_then_real_exact() -> None:
    outs = [_got("/things", 200, {"things": [{"id": "a", "name": "b"}]}, compared=True),
            _got("/things/{id}/check", 204),  # no sample: held to real, no body on both
            _got("/page", 200, compared=True, exact=True),  # key-exact with its sample
            _got("/gone", 410)]  # not served: never counts
    line = _held_line("x", outs, REAL_X)
    assert "with real X 1: 3 of 4 documented GETs" in line
    wrong = [_got("/things", 200, {"things": [{"id": "a"}]}, compared=True), *outs[1:]]
    assert "with real X 1: 2 of 4 documented GETs" in _held_line("x", wrong, REAL_X)


def test_an_unserved_call_is_listed_with_the_real_answer() -> None:
    lines = _refusals([_got("/gone", 410), _got("/nowhere", 404)], REAL_X)
    assert "- `GET /gone`: demo cloud 410; real X 1 410 This API is no longer available." \
        in lines
    assert "- `GET /nowhere`: demo cloud 404; real X 1 not asked" in lines
    section = _unsampled_section([_got("/things/{id}/check", 204), _got("/page", 200)],
                                 REAL_X)
    assert "- `GET /things/{id}/check` (no body, as real)" in section
    assert "- `GET /page`: not JSON, real text/html" in section


def test_without_a_status_file_the_keys_alone_are_compared() -> None:
    keys_only = Real("Y 1", facts=REAL_X.facts, status={}, files="`y_real.json`",
                     test="tests/y.py", kinds="a thing")
    assert keys_only.same(_got("/things", 200, {"things": [{"id": "a", "name": "b"}]})) \
        is None
    assert keys_only.same(_got("/things", 200, {"things": [{"id": "a"}]})) == \
        "things[0].name: missing"
    assert keys_only.same(_got("/things/{id}/check", 204)) == "not asked of the real service"


def test_identity_placement_and_network_are_held_to_their_real_services() -> None:
    assert {s: r.name for s, r in REAL.items()} == {"identity": "Keystone 30",
                                                    "placement": "Placement 16",
                                                    "network": "Neutron 29"}
    for real in REAL.values():
        assert real.status and real.facts and set(real.facts) <= set(real.status)


def test_a_nested_array_is_matched_by_any_of_its_kinds() -> None:
    """A skeleton keeps an array's kinds sorted, not as sent: an answer whose first item is
    the reference's second kind, however deep, agrees; one of no kind does not."""
    from .realfacts import matches

    reference = {"rule_type": {"drivers": [{"name": "", "supported_parameters": [
        {"parameter_name": "", "parameter_values": [""]},
        {"parameter_name": "", "parameter_values": {"start": 0, "end": 0}}]}]}}
    ranged = {"rule_type": {"drivers": [{"name": "ovs", "supported_parameters": [
        {"parameter_name": "max_kbps", "parameter_values": {"start": 0, "end": 9}},
        {"parameter_name": "direction", "parameter_values": ["egress"]}]}]}}
    assert matches(reference, ranged) is None
    odd = {"rule_type": {"drivers": [{"name": "ovs", "supported_parameters": [
        {"parameter_name": "max_kbps", "parameter_values": 3}]}]}}
    assert matches(reference, odd) == ("rule_type.drivers[0].supported_parameters[0]."
                                       "parameter_values: number, sample has array")
