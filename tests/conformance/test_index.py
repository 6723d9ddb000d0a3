"""The api-ref indexer on small inputs: sections, includes, request/response, versions."""

from __future__ import annotations

from pathlib import Path

from .index import _is_request, documented_versions, parse_inc, sample_version

INC = """
List Servers
============

.. rest_method:: GET /servers

Request
-------

.. literalinclude:: ../../doc/api_samples/servers/servers-list-resp.json
   :language: javascript

.. literalinclude:: ../../doc/api_samples/servers/v2.69/servers-list-resp.json
   :language: javascript

Create Server
=============

.. rest_method:: POST /servers?reservation=true

.. literalinclude:: ../../doc/api_samples/servers/server-create-req.json
.. literalinclude:: ../../doc/api_samples/servers/server-create-resp.json
.. literalinclude:: ../../doc/api_samples/servers/example.txt
"""


def test_sections_collect_their_json_includes() -> None:
    sections = list(parse_inc(INC))
    assert [(m, p) for m, p, _ in sections] == [("GET", "/servers"),
                                                ("POST", "/servers?reservation=true")]
    assert sections[0][2] == ["../../doc/api_samples/servers/servers-list-resp.json",
                              "../../doc/api_samples/servers/v2.69/servers-list-resp.json"]
    assert len(sections[1][2]) == 2  # the .txt include is not a sample


def test_a_call_on_the_line_after_rest_method_is_read() -> None:
    text = (".. rest_method::\n   GET /v3/{admin_project_id}/os-quota-sets/{project_id}"
            "?{usage}=True\n\n.. literalinclude:: ./samples/quota-show-usage.json\n")
    assert list(parse_inc(text)) == [
        ("GET", "/v3/{admin_project_id}/os-quota-sets/{project_id}?{usage}=True",
         ["./samples/quota-show-usage.json"])]


def test_an_include_named_on_the_line_after_the_directive_is_read() -> None:
    """Cinder writes some includes (its extra specs shows) with the file on the next line."""
    text = (".. rest_method::  GET /v3/{project_id}/types/{volume_type_id}/extra_specs\n\n"
            ".. literalinclude::\n   ./samples/volume_type/all-extra-specs.json\n"
            "   :language: javascript\n\n.. literalinclude::\n\n   :language: javascript\n")
    assert list(parse_inc(text)) == [
        ("GET", "/v3/{project_id}/types/{volume_type_id}/extra_specs",
         ["./samples/volume_type/all-extra-specs.json"])]


def test_includes_before_any_section_are_ignored() -> None:
    text = ".. literalinclude:: samples/versions.json\n\n.. rest_method:: GET /\n"
    assert list(parse_inc(text)) == [("GET", "/", [])]


def test_versions_come_from_the_directory_or_the_name() -> None:
    assert sample_version(Path("doc/api_samples/servers/v2.100/server-get-resp.json"),
                          "compute") == "2.100"
    assert sample_version(Path("doc/api_samples/servers/server-get-resp.json"),
                          "compute") == "2.1"
    assert sample_version(Path("api-ref/source/v3/samples/volumes/v3.65/x.json"),
                          "block-storage") == "3.65"
    assert sample_version(Path("api-ref/source/samples/aggregates/get-aggregates-1.19.json"),
                          "placement") == "1.19"
    assert sample_version(Path("api-ref/source/samples/inventories/get-inventories.json"),
                          "placement") == "1.0"
    assert sample_version(Path("api-ref/source/v2/samples/networks/network-1.2.json"),
                          "network") is None  # unversioned services have no microversion


def test_requests_are_told_from_responses() -> None:
    for name in ("server-create-req.json", "volume-create-request.json",
                 "update-aggregates-request-1.19.json"):
        assert _is_request(Path(name)), name
    for name in ("server-create-resp.json", "get-aggregates.json",
                 "volume-show-response.json", "server-action-rebuild-resp.json"):
        assert not _is_request(Path(name)), name


DOCUMENTED = """
Attachments (attachments)
=========================

.. note:: Everything except for `Complete attachment` is new as of the 3.27
          microversion.

.. rest_method::  GET /v3/{project_id}/attachments

Lists all attachments.

Request
-------

.. rest_parameters:: parameters.yaml

   - since: Available since microversion 3.99 (a parameter, after the prose)

Complete attachment
~~~~~~~~~~~~~~~~~~~

.. rest_method::  POST /v3/{project_id}/attachments/{attachment_id}/complete

Available starting in the 3.44 microversion.

List Services
=============

.. rest_method:: GET /os-services

.. note:: Starting with microversion 2.53 this API is superseded by
   ``PUT /os-services/{service_id}``.

- ``ip6`` (New in version 2.5)

.. rest_method:: GET /servers/{server_id}/migrations

.. note:: Microversion 2.23 or greater is required for this API.

.. rest_method:: POST /v3/{project_id}/volumes/{volume_id}/action

Available since API microversion ``3.40``.
"""


def test_sections_say_which_microversion_their_call_needs() -> None:
    assert documented_versions(DOCUMENTED) == {
        ("GET", "/v3/{project_id}/attachments"): "3.27",  # the file's introduction
        ("POST", "/v3/{project_id}/attachments/{attachment_id}/complete"): "3.44",
        # its own prose names a version it stops at and a parameter's: the file's holds
        ("GET", "/os-services"): "3.27",
        ("GET", "/servers/{server_id}/migrations"): "2.23",
        # ``…/action`` sections are many actions: none is given the path's version
    }


def test_a_file_without_an_introduction_documents_only_its_sections() -> None:
    text = (".. rest_method:: GET /a\n\nAvailable since API microversion 3.12.\n\n"
            ".. rest_method:: GET /b\n\nLists b.\n")
    assert documented_versions(text) == {("GET", "/a"): "3.12"}
