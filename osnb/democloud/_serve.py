"""Serve any ASGI app with uvicorn from a background thread on loopback."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Served", "serve_app"]

T = TypeVar("T")


class Served:
    """A running server: ``url``, ``call(fn)`` on its loop, ``stop()``."""

    def __init__(self, server: Any, thread: threading.Thread, sock: socket.socket,
                 loop: asyncio.AbstractEventLoop) -> None:
        self._server = server
        self._thread = thread
        self._sock = sock
        self.loop = loop
        host, port = sock.getsockname()[:2]
        self.host: str = host
        self.port: int = port
        self.url = f"http://{host}:{port}"

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the server's loop (where its state may be changed safely)."""

        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=30)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Without these every response waited ~40 ms for a delayed ACK (Nagle): accepted
    # sockets inherit the options, and uvicorn does not set them on sockets handed to it.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setblocking(False)
    sock.bind((host, port))
    return sock


def serve_app(app: Any, sock: socket.socket | None = None) -> Served:
    """Start serving ``app`` on ``sock`` (default: a free loopback port); returns when up."""
    import uvicorn

    sock = sock or bind()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           lifespan="off", timeout_keep_alive=30))
    ready: concurrent.futures.Future[asyncio.AbstractEventLoop] = concurrent.futures.Future()

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(_serve(server, sock, ready, loop))
        except BaseException as exc:  # noqa: BLE001 - reported to the starter
            if not ready.done():
                ready.set_exception(exc)
        finally:
            loop.close()

    port = sock.getsockname()[1]
    thread = threading.Thread(target=run, name=f"osnb-serve-{port}", daemon=True)
    thread.start()
    loop = ready.result(timeout=30)
    return Served(server, thread, sock, loop)


async def _serve(server: Any, sock: socket.socket,
                 ready: concurrent.futures.Future[asyncio.AbstractEventLoop],
                 loop: asyncio.AbstractEventLoop) -> None:
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the server stopped before it started")
        await asyncio.sleep(0.005)
    ready.set_result(loop)
    await task
