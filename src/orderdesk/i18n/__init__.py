"""The translation catalog: every string a seller reads goes through `t()`.

The language is process-wide: the CLI and the desk set it once from `--lang` or the shop's
config. Messages are formatted when read, not when raised, so an error built in the core
is shown in whatever language the layer that catches it is using.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from orderdesk.i18n import en, vi

LANGUAGES: tuple[str, ...] = ("vi", "en")
_CATALOGS: dict[str, dict[str, str]] = {"vi": vi.MESSAGES, "en": en.MESSAGES}
_language = "vi"


def set_language(lang: str) -> None:
    global _language
    if lang not in _CATALOGS:
        raise ValueError(lang)
    _language = lang


def get_language() -> str:
    return _language


def has_key(key: str) -> bool:
    return key in en.MESSAGES


def t(key: str, /, **params: Any) -> str:
    """The message `key` in the current language, formatted with `params`.

    Enum parameters whose class names a catalog prefix (`__catalog__ = "status"`) are
    translated too, so "pending" reads "chờ xác nhận" in Vietnamese.
    """
    template = _CATALOGS[_language].get(key) or en.MESSAGES.get(key)
    if template is None:
        # A missing key is a bug caught by the catalog tests; never crash a seller for it.
        return key
    if not params:
        return template
    return template.format(**{name: _shown(value) for name, value in params.items()})


def _shown(value: Any) -> Any:
    if isinstance(value, Enum):
        prefix = getattr(type(value), "__catalog__", None)
        if prefix:
            return t(f"{prefix}.{value.value}")
        return value.value
    return value
