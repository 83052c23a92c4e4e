"""`mentorbot sandbox`: the real bot with a demo school, shown in a browser on this machine."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
from collections.abc import Callable

from aiohttp.web import AppRunner, TCPSite

from bot.sandbox.runner import Sandbox
from bot.sandbox.web import create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def loopback_host(host: str) -> str | None:
    """The address to listen on when `host` is a loopback address, else None."""
    if host == "localhost":
        return DEFAULT_HOST
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    return str(address) if address.is_loopback else None


def page_url(host: str, port: int) -> str:
    """The page's address, with IPv6 hosts in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def serve(
    host: str, port: int, stop: asyncio.Event, ready: Callable[[str], None] = print
) -> None:
    """Run the sandbox until `stop` is set; `ready` gets the page's URL once it answers."""
    sandbox = Sandbox()
    await sandbox.start()
    try:
        runner = AppRunner(
            create_app(sandbox), access_log=None, handle_signals=False, shutdown_timeout=2.0
        )
        await runner.setup()
        try:
            await TCPSite(runner, host, port).start()
            ready(page_url(host, int(runner.addresses[0][1])))
            await stop.wait()
        finally:
            await sandbox.feed.stop()  # ends the event streams, so the server closes at once
            await runner.cleanup()
    finally:
        await sandbox.stop()


def run(host: str, port: int, announce: Callable[[str], None] = print) -> int:
    """Blocking entry point: serve until Ctrl+C or SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await serve(host, port, stop, announce)

    asyncio.run(main())
    return 0


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "Sandbox", "loopback_host", "page_url", "run", "serve"]
