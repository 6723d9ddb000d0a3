"""Resource declarations and operations, over real HTTP to the fake service."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.resource import Resource, prop

from .things import Part, ReadOnlyThing, Thing, Wrapper


def test_props_map_pep8_names_to_server_keys() -> None:
    t = Thing._from_body({"id": "t1", "big": True, "size": "7", "created": "2026-01-02T03:04:05Z",
                          "vendor:extension": 1})
    assert t.is_big is True
    assert t.size == 7  # "7" converted leniently
    assert t.created_at == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert t.to_dict()["is_big"] is True
    assert list(t.to_dict())[:2] == ["id", "name"]
    assert t.extra == {"vendor:extension": 1}
    assert t.raw["vendor:extension"] == 1


def test_response_values_of_unexpected_form_are_kept() -> None:
    t = Thing._from_body({"id": "t1", "size": "many", "created": "last tuesday", "big": "perhaps"})
    assert t.size == "many"
    assert t.created_at == "last tuesday"
    assert t.is_big == "perhaps"


def test_request_values_are_validated_before_any_http() -> None:
    with pytest.raises(exc.InvalidValue) as err:
        Thing(size="twelve")
    assert "Thing.size" in str(err.value) and "'twelve'" in str(err.value)
    with pytest.raises(exc.InvalidValue):
        Thing(is_big="maybe")
    with pytest.raises(exc.InvalidValue):
        Thing(created_at="not a date")
    t = Thing(size="12", is_big="yes", created_at=dt.datetime(2026, 1, 1))
    assert t.raw == {"size": 12, "big": True, "created": "2026-01-01T00:00:00+00:00"}


def test_secret_value_is_masked_in_errors_and_to_dict() -> None:
    with pytest.raises(exc.InvalidValue) as err:
        Thing(secret_word=["hunter2"])
    assert "hunter2" not in str(err.value)
    t = Thing(secret_word="hunter2")
    assert t.to_dict()["secret_word"] == "***"
    assert "hunter2" not in repr(t)
    assert t.secret_word == "hunter2"


def test_unknown_attribute_is_a_clear_error() -> None:
    with pytest.raises(exc.InvalidRequest, match="no attribute 'colour'.*color"):
        Thing(colour="red")


def test_nested_resources_convert_both_ways() -> None:
    w = Wrapper._from_body({"inner": {"id": "a", "big": "true"}, "many": [{"id": "b"}, 3]})
    assert isinstance(w.inner, Thing) and w.inner.is_big is True
    assert isinstance(w.many[0], Thing) and w.many[1] == 3
    assert w.to_dict()["inner"]["id"] == "a"
    sent = Wrapper(inner={"size": "3"})
    assert sent.raw["inner"] == {"size": 3}
    with pytest.raises(exc.InvalidValue):
        Wrapper(inner={"size": "three"})


def test_equality_hash_and_repr_go_by_id() -> None:
    a = Thing._from_body({"id": "x", "name": "one"})
    b = Thing._from_body({"id": "x", "name": "renamed"})
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Thing._from_body({"id": "y"})
    assert repr(a) == "<Thing id='x' name='one'>"


def test_allow_flags_are_checked_before_any_request(adapter, fake) -> None:
    _, log = fake
    before = len(log.requests)
    proxy = adapter()
    for call in (lambda: ReadOnlyThing(name="n").create(proxy),
                 lambda: ReadOnlyThing._from_body({"id": "t01"}).get(proxy),
                 lambda: ReadOnlyThing._from_body({"id": "t01"}).delete(proxy),
                 lambda: ReadOnlyThing._from_body({"id": "t01"}).head(proxy)):
        with pytest.raises(exc.MethodNotSupported):
            call()
    assert len(log.requests) == before


def test_missing_uri_parameter_is_a_clear_error(adapter) -> None:
    with pytest.raises(exc.InvalidRequest, match="thing_id"):
        list(Part.list(adapter()))


def test_uri_parameters_fill_base_path(adapter, fake) -> None:
    parts = list(Part.list(adapter(), thing_id="t 1"))
    assert fake[1].last()["path"] == "/things/t 1/parts"
    assert parts[0].thing_id == "t 1" and parts[0].thing == "t 1"


def test_create_get_update_delete_head(adapter, fake) -> None:
    _, log = fake
    proxy = adapter()
    t = Thing(name="made", size=3).create(proxy)
    assert json.loads(log.last()["body"]) == {"thing": {"name": "made", "size": 3}}
    assert t.id == "new" and t.size == 3
    got = Thing._from_body({"id": "t07"}).get(proxy)
    assert got.name == "thing-7" and got.size == 7
    got.color = "green"
    got.update(proxy)
    assert log.last()["method"] == "PUT"
    assert json.loads(log.last()["body"]) == {"thing": {"color": "green"}}  # only the change
    count = len(log.requests)
    got.update(proxy)  # nothing changed: no request
    assert len(log.requests) == count
    assert got.head(proxy).headers["x-thing"] == "yes"
    got.delete(proxy)
    assert log.last()["method"] == "DELETE"


def test_find_by_id_then_name(adapter) -> None:
    proxy = adapter()
    assert Thing.find(proxy, "t05").name == "thing-5"
    assert Thing.find(proxy, "thing-9").id == "t09"
    with pytest.raises(exc.DuplicateResource, match="t03, t04"):
        Thing.find(proxy, "twin")
    with pytest.raises(exc.NotFound):
        Thing.find(proxy, "nothing-like-it")
    assert Thing.find(proxy, "nothing-like-it", ignore_missing=True) is None


def test_query_parameters_use_server_names(adapter, fake) -> None:
    found = list(Thing.list(adapter(), is_big=True, color="red"))
    assert fake[1].last()["query"] == {"big": "true", "color": "red"}
    assert [t.id for t in found] == ["t00", "t02", "t04"]
    with pytest.raises(exc.InvalidQuery, match="accepted: color, is_big"):
        list(Thing.list(adapter(), flavour="x"))


def test_http_errors_carry_status_request_id_url_and_message(adapter) -> None:
    with pytest.raises(exc.NotFound) as err:
        Thing._from_body({"id": "zz"}).get(adapter())
    e = err.value
    assert e.status_code == 404 and e.request_id == "req-abc" and e.method == "GET"
    assert e.url.endswith("/things/zz")
    assert e.message == "Thing zz could not be found."
    assert "req-abc" in str(e) and "/things/zz" in str(e)
    assert isinstance(e, LookupError)


def test_subclass_props_extend_and_override() -> None:
    class Base(Resource):
        a: int | None = prop("a")

    class Child(Base):
        b: str | None = prop("b")
        a = prop("A", type=str)

    assert list(Child._props) == ["id", "name", "b", "a"]
    assert Child._from_body({"A": 5}).a == 5 and Child._props["a"].server_key == "A"
