"""Machine translation as a plug-in: off unless `MACHINE_TRANSLATOR` names a factory.

The setting is a dotted path, `package.module:factory`; the factory is called once with no
arguments and returns an object with an async `translate` method (`MachineTranslator`). The
bot itself ships none: a school that wants one installs its own module. A translator that
fails, times out or returns nothing leaves that language out; an announcement never waits
for it.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from functools import cache
from typing import Any, Protocol, runtime_checkable

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
TIMEOUT_SECONDS = 10.0


@runtime_checkable
class MachineTranslator(Protocol):
    """Translates plain text between languages named by codes such as `en`, `pl` or `ur`."""

    async def translate(self, text: str, *, source: str, target: str) -> str | None:
        """`text` in `target`, or None when this translator cannot do it."""
        ...


class TranslatorUnavailable(Exception):
    """`MACHINE_TRANSLATOR` names nothing that can be loaded as a translator."""


@cache
def load_translator(path: str) -> MachineTranslator | None:
    """The translator the setting names, made once per process; None when the setting is empty."""
    if not path:
        return None
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise TranslatorUnavailable(f"{path!r} is not of the form package.module:factory")
    try:
        target: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as error:
        raise TranslatorUnavailable(f"{path!r} cannot be imported") from error
    try:
        translator = target()
    except Exception as error:  # whatever a plug-in's factory raises, the setting is at fault
        raise TranslatorUnavailable(f"{path!r} could not make a translator") from error
    if not isinstance(translator, MachineTranslator):
        raise TranslatorUnavailable(f"{path!r} made an object without an async translate()")
    return translator


async def machine_translations(
    translator: MachineTranslator, text: str, targets: set[str], *, limit: int
) -> dict[str, dict[str, Any]]:
    """`{language: {"text": ..., "machine": True}}` for each target that came back usable."""
    languages = sorted(targets - {SOURCE_LANGUAGE})

    async def one(language: str) -> str | None:
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                result = await translator.translate(text, source=SOURCE_LANGUAGE, target=language)
        except Exception as error:  # a plug-in's failure must never stop an announcement
            logger.warning("Machine translation into %s failed: %s", language, type(error).__name__)
            return None
        cleaned = result.strip() if isinstance(result, str) else ""
        return cleaned if 0 < len(cleaned) <= limit else None

    results = await asyncio.gather(*(one(language) for language in languages))
    return {
        language: {"text": result, "machine": True}
        for language, result in zip(languages, results, strict=True)
        if result is not None
    }
