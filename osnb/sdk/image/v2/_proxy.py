"""``conn.image``: the Image (Glance) v2 proxy, with openstacksdk's method names."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ... import exceptions as exc
from ...proxy import Proxy as _BaseProxy
from ...resource_list import ResourceList
from .cache import Cache
from .image import Image
from .image_location import ImageLocation
from .member import Member
from .metadef_namespace import (
    MetadefNamespace,
    MetadefResourceType,
    MetadefResourceTypeAssociation,
)
from .metadef_object import MetadefObject, MetadefProperty
from .schema import MetadefSchema, Schema
from .service_info import Import, Store, Usage
from .task import ImageTasks, Task

__all__ = ["Proxy"]

Data = bytes | IO[bytes] | Iterable[bytes]
CHUNK = 1024 * 1024


def _sized(data: Data) -> int | None:
    """The length of ``data`` when it can be known without reading it."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return len(data)
    fileno = getattr(data, "fileno", None)
    if fileno is not None:
        try:
            return os.fstat(fileno()).st_size - (data.tell() if hasattr(data, "tell") else 0)
        except (OSError, io.UnsupportedOperation):
            return None
    return None


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MiB"


class Proxy(_BaseProxy):
    """Image API: images and their data, members, tasks, stores, schemas and the metadata
    definitions catalog."""

    service_type = "image"
    api_version = "2"

    # -- images -----------------------------------------------------------------------
    def images(self, **query: Any) -> ResourceList[Image]:
        """List images: ``visibility``, ``member_status``, ``owner``, ``status``,
        ``size_min``, ``tag``, ``is_hidden``, ``sort``… (Glance filters
        ``created_at``/``updated_at`` with operators: ``"gte:2024-01-01T00:00:00Z"``)."""
        return self._list(Image, **query)

    def get_image(self, image: str | Image) -> Image:
        return self._get(Image, image)

    def find_image(self, name_or_id: str, ignore_missing: bool = False) -> Image | None:
        """By id, then by exact name (NotFound, or None with ``ignore_missing``)."""
        return self._find(Image, name_or_id, ignore_missing=ignore_missing)

    def create_image(self, name: str | None = None, *, filename: str | None = None,
                     data: Data | None = None, meta: dict[str, Any] | None = None,
                     use_import: bool = False, wait: bool = False, timeout: float = 3600,
                     **attrs: Any) -> Image:
        """Create an image record, any property free-form (``hw_firmware_type="uefi"``,
        or in ``meta``, as openstacksdk); with ``filename`` or ``data`` its data too
        (uploaded, or staged and imported with ``use_import``; ``wait`` until active)."""
        attrs = {**(meta or {}), **attrs}
        if name is not None:
            attrs["name"] = name
        image = self._create(Image, **attrs)
        if filename is None and data is None:
            return image
        if filename is not None:
            with open(filename, "rb") as handle:
                self._put_data(image, handle, use_import)
        else:
            self._put_data(image, data, use_import)  # type: ignore[arg-type]
        image = self.get_image(image)
        if wait or use_import:
            image = self.wait_for_status(image, "active", failures=("killed",),
                                         interval=0.5, wait=timeout)
        return image

    def _put_data(self, image: Image, data: Data, use_import: bool) -> None:
        if use_import:
            self._send_data(image, data, "stage")
            self.import_image(image, "glance-direct")
        else:
            self._send_data(image, data, "file")

    def upload_image(self, container_format: str | None = None,
                     disk_format: str | None = None, data: Data | None = None,
                     **attrs: Any) -> Image:
        """Create an image and upload ``data`` in one step (streamed, with progress)."""
        image = self._create(Image, container_format=container_format,
                             disk_format=disk_format, **attrs)
        if data is not None:
            self._send_data(image, data, "file")
        return self.get_image(image)

    def stage_image(self, image: str | Image, *, filename: str | None = None,
                    data: Data | None = None) -> Image:
        """Send the data to the staging area (the image becomes ``uploading``) for a
        ``glance-direct`` import."""
        res = self._resource(Image, image)
        if filename is not None:
            with open(filename, "rb") as handle:
                self._send_data(res, handle, "stage")
        elif data is not None:
            self._send_data(res, data, "stage")
        else:
            raise exc.InvalidRequest("stage_image needs filename or data")
        return self.get_image(res)

    def _send_data(self, image: Image, data: Data, where: str) -> None:
        """``PUT /file`` or ``/stage`` in chunks, showing progress for long transfers."""
        from ....progress import Progress

        total = _sized(data)
        progress = Progress(f"{'uploading' if where == 'file' else 'staging'} image "
                            f"{image.id}")
        sent = 0

        def pieces() -> Iterator[bytes]:
            nonlocal sent
            for piece in Image.chunks(data, CHUNK):
                sent += len(piece)
                progress.update(_mib(sent) + (f" of {_mib(total)}" if total else ""))
                yield piece

        body = data if isinstance(data, (bytes, bytearray)) else pieces()
        try:
            (image.upload if where == "file" else image.stage)(self, body)
        except BaseException:
            progress.close(f"failed after {_mib(sent)}")
            raise
        progress.close(_mib(total if total is not None else sent))

    def import_image(self, image: str | Image, method: str = "glance-direct", *,
                     uri: str | None = None, stores: list[str] | None = None,
                     all_stores: bool | None = None,
                     all_stores_must_succeed: bool | None = None) -> Any:
        """Start an import (``glance-direct``, ``web-download`` with ``uri``,
        ``copy-image``); the image is ``importing`` until its task finishes."""
        return self._resource(Image, image).import_image(
            self, method, uri=uri, stores=stores, all_stores=all_stores,
            all_stores_must_succeed=all_stores_must_succeed)

    def download_image(self, image: str | Image, *, stream: bool = False,
                       output: str | IO[bytes] | None = None,
                       chunk_size: int = CHUNK) -> Any:
        """The image's data: the response (``stream=True``: read it with
        ``iter_content``), or written to ``output`` (a path or a binary file) in chunks
        with progress. A complete download is checked against Glance's MD5."""
        from ....progress import Progress

        res = self._resource(Image, image)
        response = res.download(self, stream=stream or output is not None)
        expected = response.headers.get("Content-MD5")
        if output is None:
            if not stream and expected and response.status_code == 200 and \
                    hashlib.md5(response.content, usedforsecurity=False).hexdigest() \
                    != expected:
                raise exc.InvalidResponse(f"image {res.id}: the data's MD5 is not "
                                          f"{expected}")
            return response
        total = int(response.headers.get("Content-Length") or 0)
        digest = hashlib.md5(usedforsecurity=False)
        got = 0
        progress = Progress(f"downloading image {res.id}")
        handle: IO[bytes] = open(output, "wb") if isinstance(output, str) else output  # noqa: SIM115
        try:
            for piece in response.iter_content(chunk_size=chunk_size):
                handle.write(piece)
                digest.update(piece)
                got += len(piece)
                progress.update(_mib(got) + (f" of {_mib(total)}" if total else ""))
        finally:
            if isinstance(output, str):
                handle.close()
            progress.close(_mib(got))
        if expected and digest.hexdigest() != expected:
            raise exc.InvalidResponse(f"image {res.id}: the data's MD5 is not {expected}")
        return response

    def update_image(self, image: str | Image, **attrs: Any) -> Image:
        """Change attributes with a JSON-patch; ``None`` removes a property."""
        return self._update(Image, image, **attrs)

    def update_image_properties(self, image: str | Image, meta: dict[str, Any] | None = None,
                                **kwargs: Any) -> bool:
        """Set free-form properties (``meta`` and keywords) in one JSON-patch."""
        self._update(Image, image, **(meta or {}), **kwargs)
        return True

    def delete_image(self, image: str | Image, *, store: str | Store | None = None,
                     ignore_missing: bool = True) -> None:
        """Delete an image (a protected one is Forbidden); with ``store``, only its data in
        that store (an administrator's)."""
        if store is None:
            self._delete(Image, image, ignore_missing=ignore_missing)
            return
        res = self._resource(Image, image)
        name = store.id if isinstance(store, Store) else store
        try:
            self.delete(f"/stores/{name}/{res.id}")
        except exc.NotFound:
            if not ignore_missing:
                raise

    def deactivate_image(self, image: str | Image) -> None:
        """Make an image's data unavailable to all but administrators."""
        self._resource(Image, image).deactivate(self)

    def reactivate_image(self, image: str | Image) -> None:
        self._resource(Image, image).reactivate(self)

    def add_tag(self, image: str | Image, tag: str) -> None:
        self._resource(Image, image).add_tag(self, tag)

    def remove_tag(self, image: str | Image, tag: str) -> None:
        self._resource(Image, image).remove_tag(self, tag)

    def image_tasks(self, image: str | Image) -> ResourceList[ImageTasks]:
        """The image's import tasks."""
        return self._list(ImageTasks, image_id=self._resource(Image, image).id)

    def image_locations(self, image: str | Image) -> ResourceList[ImageLocation]:
        """Where the image's data is (a service's or an administrator's view)."""
        return self._list(ImageLocation, image_id=self._resource(Image, image).id)

    def add_image_location(self, image: str | Image, url: str, *,
                           validation_data: dict[str, Any] | None = None) -> ImageLocation:
        """Give a queued image the location of its data (Nova's and Cinder's call)."""
        attrs: dict[str, Any] = {"url": url}
        if validation_data is not None:
            attrs["validation_data"] = validation_data
        return self._create(ImageLocation, image_id=self._resource(Image, image).id,
                            **attrs)

    # -- members ----------------------------------------------------------------------
    def members(self, image: str | Image, **query: Any) -> ResourceList[Member]:
        """The projects a shared image is offered to (a member sees its own)."""
        return self._list(Member, image_id=self._resource(Image, image).id, **query)

    def add_member(self, image: str | Image, **attrs: Any) -> Member:
        """Offer a shared image to a project: ``member_id=`` (``pending``)."""
        return self._create(Member, image_id=self._resource(Image, image).id, **attrs)

    def get_member(self, member: str | Member, image: str | Image) -> Member:
        return self._get(Member, member, image_id=self._resource(Image, image).id)

    def find_member(self, name_or_id: str, image: str | Image,
                    ignore_missing: bool = False) -> Member | None:
        return self._find(Member, name_or_id, ignore_missing=ignore_missing,
                          image_id=self._resource(Image, image).id)

    def update_member(self, member: str | Member, image: str | Image,
                      **attrs: Any) -> Member:
        """As the member project: ``status="accepted"`` (or ``rejected``, ``pending``)."""
        res = self._resource(Member, member, image_id=self._resource(Image, image).id)
        res._set(attrs)
        return res.update(self)

    def remove_member(self, member: str | Member, image: str | Image | None = None,
                      ignore_missing: bool = True) -> None:
        """Stop offering the image to a project (its owner's)."""
        image_id = self._resource(Image, image).id if image is not None else \
            getattr(member, "image_id", None)
        self._delete(Member, member, ignore_missing=ignore_missing, image_id=image_id)

    # -- tasks ------------------------------------------------------------------------
    def tasks(self, **query: Any) -> ResourceList[Task]:
        """Glance's tasks (an administrator's): ``type``, ``status``, ``sort_key``…"""
        return self._list(Task, **query)

    def get_task(self, task: str | Task) -> Task:
        return self._get(Task, task)

    def create_task(self, **attrs: Any) -> Task:
        """A legacy ``import`` task: ``type="import"``, ``input={"import_from": url,
        "import_from_format": "qcow2", "image_properties": {...}}``."""
        return self._create(Task, **attrs)

    def wait_for_task(self, task: Task, status: str = "success",
                      failures: list[str] | None = None, interval: float = 2,
                      wait: float = 120) -> Task:
        return self.wait_for_status(task, status, failures=failures or ["failure"],
                                    interval=interval, wait=wait)

    # -- discovery --------------------------------------------------------------------
    def stores(self, details: bool = False, **query: Any) -> ResourceList[Store]:
        """The stores the data can live in; ``details`` (an administrator's) adds their
        type and settings."""
        path = "/info/stores/detail" if details else None
        return self._list(Store, base_path=path, **query)

    def get_import_info(self) -> Import:
        """The import methods this Glance accepts."""
        return self._get(Import)

    def get_usage(self) -> Usage:
        """The caller's project against Glance's limits (``/v2/info/usage``)."""
        return self._get(Usage)

    def get_image_cache(self) -> Cache:
        """The images the API nodes keep cached and those queued (an administrator's)."""
        return self._get(Cache)

    def queue_image(self, image: str | Image) -> None:
        """Queue an active image for the cache prefetcher."""
        self.put(f"/cache/{self._resource(Image, image).id}")

    def cache_delete_image(self, image: str | Image, ignore_missing: bool = True) -> None:
        """Drop an image from the cache."""
        try:
            self.delete(f"/cache/{self._resource(Image, image).id}")
        except exc.NotFound:
            if not ignore_missing:
                raise

    def clear_cache(self, target: str = "both") -> None:
        """Empty the cache, the queue or ``both``."""
        self.delete("/cache", headers={"x-image-cache-clear-target": target})

    def prune_cache(self) -> dict[str, int]:
        """Drop the least recently used images until the cache fits its size:
        ``total_files_pruned`` and ``total_bytes_pruned``."""
        pruned: dict[str, int] = self.post("/cache/prune").json()
        return pruned

    # -- schemas ----------------------------------------------------------------------
    def get_images_schema(self) -> Schema:
        return self._get(Schema, "images")

    def get_image_schema(self) -> Schema:
        return self._get(Schema, "image")

    def get_members_schema(self) -> Schema:
        return self._get(Schema, "members")

    def get_member_schema(self) -> Schema:
        return self._get(Schema, "member")

    def get_tasks_schema(self) -> Schema:
        return self._get(Schema, "tasks")

    def get_task_schema(self) -> Schema:
        return self._get(Schema, "task")

    def get_metadef_namespace_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "namespace")

    def get_metadef_namespaces_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "namespaces")

    def get_metadef_resource_type_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "resource_type")

    def get_metadef_resource_types_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "resource_types")

    def get_metadef_object_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "object")

    def get_metadef_objects_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "objects")

    def get_metadef_property_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "property")

    def get_metadef_properties_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "properties")

    def get_metadef_tag_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "tag")

    def get_metadef_tags_schema(self) -> MetadefSchema:
        return self._get(MetadefSchema, "tags")

    # -- metadata definitions ---------------------------------------------------------
    def metadef_namespaces(self, **query: Any) -> ResourceList[MetadefNamespace]:
        """The catalog's namespaces: ``resource_types``, ``visibility``…"""
        return self._list(MetadefNamespace, **query)

    def get_metadef_namespace(self, metadef_namespace: str | MetadefNamespace
                              ) -> MetadefNamespace:
        """A namespace with its properties, objects and tags."""
        return self._get(MetadefNamespace, metadef_namespace)

    def create_metadef_namespace(self, **attrs: Any) -> MetadefNamespace:
        return self._create(MetadefNamespace, **attrs)

    def update_metadef_namespace(self, metadef_namespace: str | MetadefNamespace,
                                 **attrs: Any) -> MetadefNamespace:
        """Glance's PUT replaces the namespace: the name goes with the changes."""
        res = self._resource(MetadefNamespace, metadef_namespace)
        res._set({"namespace": attrs.pop("namespace", res.id), **attrs})
        return res.update(self)

    def delete_metadef_namespace(self, metadef_namespace: str | MetadefNamespace,
                                 ignore_missing: bool = True) -> None:
        self._delete(MetadefNamespace, metadef_namespace, ignore_missing=ignore_missing)

    def _namespace_path(self, namespace: str | MetadefNamespace) -> str:
        name = self._resource(MetadefNamespace, namespace).id
        return f"/metadefs/namespaces/{name}"

    def add_tag_to_metadef_namespace(self, namespace: str | MetadefNamespace,
                                     tag: str) -> None:
        self.post(f"{self._namespace_path(namespace)}/tags/{tag}")

    def remove_tag_from_metadef_namespace(self, namespace: str | MetadefNamespace,
                                          tag: str) -> None:
        self.delete(f"{self._namespace_path(namespace)}/tags/{tag}")

    def remove_tags_from_metadef_namespace(self,
                                           namespace: str | MetadefNamespace) -> None:
        self.delete(f"{self._namespace_path(namespace)}/tags")

    def metadef_objects(self, namespace: str | MetadefNamespace
                        ) -> ResourceList[MetadefObject]:
        return self._list(MetadefObject,
                          namespace_name=self._resource(MetadefNamespace, namespace).id)

    def get_metadef_object(self, metadef_object: str | MetadefObject,
                           namespace: str | MetadefNamespace) -> MetadefObject:
        return self._get(MetadefObject, metadef_object,
                         namespace_name=self._resource(MetadefNamespace, namespace).id)

    def create_metadef_object(self, namespace: str | MetadefNamespace,
                              **attrs: Any) -> MetadefObject:
        return self._create(MetadefObject,
                            namespace_name=self._resource(MetadefNamespace, namespace).id,
                            **attrs)

    def update_metadef_object(self, metadef_object: str | MetadefObject,
                              namespace: str | MetadefNamespace,
                              **attrs: Any) -> MetadefObject:
        """Glance's PUT replaces the object: the name goes with the changes."""
        res = self._resource(MetadefObject, metadef_object,
                             namespace_name=self._resource(MetadefNamespace, namespace).id)
        res._set({"name": attrs.pop("name", res.id), **attrs})
        return res.update(self)

    def delete_metadef_object(self, metadef_object: str | MetadefObject,
                              namespace: str | MetadefNamespace,
                              ignore_missing: bool = True) -> None:
        self._delete(MetadefObject, metadef_object, ignore_missing=ignore_missing,
                     namespace_name=self._resource(MetadefNamespace, namespace).id)

    def delete_all_metadef_objects(self, namespace: str | MetadefNamespace) -> None:
        for obj in self.metadef_objects(namespace):
            self.delete_metadef_object(obj, namespace)

    def metadef_properties(self, metadef_namespace: str | MetadefNamespace,
                           **query: Any) -> ResourceList[MetadefProperty]:
        return self._list(MetadefProperty, namespace_name=self._resource(
            MetadefNamespace, metadef_namespace).id, **query)

    def get_metadef_property(self, metadef_property: str | MetadefProperty,
                             metadef_namespace: str | MetadefNamespace) -> MetadefProperty:
        return self._get(MetadefProperty, metadef_property, namespace_name=self._resource(
            MetadefNamespace, metadef_namespace).id)

    def create_metadef_property(self, metadef_namespace: str | MetadefNamespace,
                                **attrs: Any) -> MetadefProperty:
        """``name``, ``title`` and ``type`` are required."""
        return self._create(MetadefProperty, namespace_name=self._resource(
            MetadefNamespace, metadef_namespace).id, **attrs)

    def update_metadef_property(self, metadef_property: str | MetadefProperty,
                                metadef_namespace: str | MetadefNamespace,
                                **attrs: Any) -> MetadefProperty:
        """Glance's PUT replaces the definition: send ``name``, ``title`` and ``type``."""
        res = self._resource(MetadefProperty, metadef_property,
                             namespace_name=self._resource(MetadefNamespace,
                                                           metadef_namespace).id)
        res._set({"name": attrs.pop("name", res.id), **attrs})
        return res.update(self)

    def delete_metadef_property(self, metadef_property: str | MetadefProperty,
                                metadef_namespace: str | MetadefNamespace,
                                ignore_missing: bool = True) -> None:
        self._delete(MetadefProperty, metadef_property, ignore_missing=ignore_missing,
                     namespace_name=self._resource(MetadefNamespace, metadef_namespace).id)

    def delete_all_metadef_properties(self,
                                      metadef_namespace: str | MetadefNamespace) -> None:
        for item in self.metadef_properties(metadef_namespace):
            self.delete_metadef_property(item, metadef_namespace)

    def metadef_resource_types(self, **query: Any) -> ResourceList[MetadefResourceType]:
        return self._list(MetadefResourceType, **query)

    def metadef_resource_type_associations(
            self, metadef_namespace: str | MetadefNamespace,
            **query: Any) -> ResourceList[MetadefResourceTypeAssociation]:
        return self._list(MetadefResourceTypeAssociation, namespace_name=self._resource(
            MetadefNamespace, metadef_namespace).id, **query)

    def create_metadef_resource_type_association(
            self, metadef_namespace: str | MetadefNamespace,
            **attrs: Any) -> MetadefResourceTypeAssociation:
        """Apply a namespace to a resource type: ``name``, ``prefix``…"""
        return self._create(MetadefResourceTypeAssociation, namespace_name=self._resource(
            MetadefNamespace, metadef_namespace).id, **attrs)

    def delete_metadef_resource_type_association(
            self, metadef_resource_type: str | MetadefResourceTypeAssociation,
            metadef_namespace: str | MetadefNamespace, ignore_missing: bool = True) -> None:
        self._delete(MetadefResourceTypeAssociation, metadef_resource_type,
                     ignore_missing=ignore_missing, namespace_name=self._resource(
                         MetadefNamespace, metadef_namespace).id)
