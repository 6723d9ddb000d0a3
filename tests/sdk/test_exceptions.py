"""Error bodies in each service's own format (a parser: unit tests on built responses)."""

from __future__ import annotations

import json

import pytest
import requests

from osnb.sdk import exceptions as exc


def _response(status: int, body: object, content_type: str = "application/json",
              headers: dict[str, str] | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = (json.dumps(body) if not isinstance(body, str) else body).encode()
    r.headers.update({"content-type": content_type, **(headers or {})})
    r.url = "http://cloud.example/v2.1/servers/x"
    r.reason = "Reason"
    return r


@pytest.mark.parametrize("body,message", [
    ({"itemNotFound": {"code": 404, "message": "Instance x could not be found."}},
     "Instance x could not be found."),
    ({"NeutronError": {"type": "PortNotFound", "message": "Port x could not be found.",
                       "detail": ""}}, "Port x could not be found."),
    ({"error": {"code": 404, "title": "Not Found", "message": "Could not find project: x."}},
     "Could not find project: x."),
    ({"errors": [{"status": 404, "title": "Not Found", "detail": "No resource provider x"}]},
     "No resource provider x"),
    ({"code": "404 Not Found", "title": "Not Found", "message": "No image found with ID x"},
     "No image found with ID x"),
    ("<html><body><h1>404 Not Found</h1>No image found with ID x</body></html>",
     "No image found with ID x"),
    ("<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
     "No image found with ID x<br /><br /></body></html>", "No image found with ID x"),
])
def test_message_is_read_from_each_format(body, message) -> None:
    kind = "text/html" if isinstance(body, str) else "application/json"
    e = exc.from_response(_response(404, body, kind), "GET")
    assert isinstance(e, exc.NotFound)
    assert e.message == message


def test_neutron_type_is_kept_as_details() -> None:
    e = exc.from_response(_response(409, {"NeutronError": {
        "type": "IpAddressGenerationFailure", "message": "No more IP addresses", "detail": ""}}))
    assert isinstance(e, exc.Conflict)
    assert e.details == "IpAddressGenerationFailure"


@pytest.mark.parametrize("status,cls", [(400, exc.BadRequest), (401, exc.Unauthorized),
                                        (403, exc.Forbidden), (409, exc.Conflict),
                                        (429, exc.RateLimited), (503, exc.ServerError),
                                        (418, exc.HttpException)])
def test_status_maps_to_class(status, cls) -> None:
    assert type(exc.from_response(_response(status, {}))) is cls


def test_request_id_method_url_and_retry_after() -> None:
    e = exc.from_response(_response(429, {"overLimit": {"message": "slow down"}},
                                    headers={"x-compute-request-id": "req-1",
                                             "retry-after": "3"}), "GET")
    assert isinstance(e, exc.RateLimited)
    assert (e.request_id, e.method, e.retry_after) == ("req-1", "GET", 3.0)
    assert str(e) == ("429 slow down (overLimit) [GET http://cloud.example/v2.1/servers/x] "
                      "request-id req-1")


def test_builtin_bases_for_except_clauses() -> None:
    assert issubclass(exc.NotFound, LookupError)
    assert issubclass(exc.Forbidden, PermissionError)
    assert issubclass(exc.ConfigError, ValueError)
    assert issubclass(exc.ResourceTimeout, TimeoutError)


def test_bodies_orjson_refuses_still_parse() -> None:
    from osnb.sdk.resource import _json

    r = _response(200, '{"big": 123456789012345678901234567890, "x": NaN}')
    body = _json(r)
    assert body["big"] == 123456789012345678901234567890 and body["x"] != body["x"]
