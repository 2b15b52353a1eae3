"""Shop settings: a TOML file in the config directory, created with defaults on first run.

Every key is declared here with its default and its check, so `config set` refuses an
unknown key or a bad value with a clear message, and a hand-edited file with a bad value
is reported instead of crashing the desk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomlkit
from tomlkit.exceptions import TOMLKitError

from orderdesk.carriers import CARRIERS
from orderdesk.errors import InvalidInput, OrderdeskError
from orderdesk.i18n import LANGUAGES, t
from orderdesk.paths import config_path, private_dir
from orderdesk.text import clean

if TYPE_CHECKING:
    from orderdesk.carriers.base import Outcome

LABEL_SIZES = ("100x150", "a6", "75x100", "a4x4")
INVOICE_SIZES = ("a5", "a4", "80mm")
_KEY_NAME = re.compile(r"^[a-z0-9_.-]+$")
_KEYSPEC = re.compile(r"^[a-z0-9_+,\-]+$|^[!-~]$")


class ConfigError(OrderdeskError):
    pass


def _one_of(options: tuple[str, ...] | list[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        text = clean(value).lower()
        if text not in options:
            raise ConfigError("err.config.choice", value=value, options=", ".join(options))
        return text

    return check


def _text(max_len: int, required: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        text = clean(value)
        if required and not text:
            raise ConfigError("err.config.required")
        if len(text) > max_len:
            raise ConfigError("err.config.too_long", max=max_len)
        return text

    return check


def _timezone(value: str) -> str:
    try:
        ZoneInfo(clean(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("err.config.timezone", value=value) from None
    return clean(value)


def _phone(value: str) -> str:
    if not clean(value):
        return ""
    from orderdesk import validation

    try:
        return validation.display_phone(validation.phone(value, mobile_only=False))
    except InvalidInput as error:
        raise ConfigError("err.config.invalid", reason=error.errors[0].message()) from None


def _email(value: str) -> str:
    from orderdesk import validation

    try:
        return validation.email(value)
    except InvalidInput as error:
        raise ConfigError("err.config.invalid", reason=error.errors[0].message()) from None


def _province(value: str) -> str:
    if not clean(value):
        return ""
    from orderdesk import geo

    try:
        return geo.resolve_province(value).name
    except geo.PlaceNotFound:
        raise ConfigError("err.province.unknown", value=clean(value)) from None


def _days(value: str) -> str:
    text = clean(value)
    if not text.isdigit() or not 1 <= int(text) <= 365:
        raise ConfigError("err.config.days", value=value)
    return str(int(text))


@dataclass(frozen=True)
class Setting:
    key: str
    default: str
    check: Callable[[str], str]


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("language", "vi", _one_of(list(LANGUAGES))),
        Setting("timezone", "Asia/Ho_Chi_Minh", _timezone),
        Setting("shop.name", "Cửa hàng của tôi", _text(100, required=True)),
        Setting("shop.phone", "", _phone),
        Setting("shop.email", "", _email),
        Setting("shop.street", "", _text(300)),
        Setting("shop.ward", "", _text(100)),
        Setting("shop.province", "", _province),
        # A PNG or JPEG printed at the top of invoices.
        Setting("shop.logo", "", _text(500)),
        Setting("shipping.default_carrier", "ghn", _one_of(list(CARRIERS))),
        # A COD parcel delivered this many days ago and on no statement yet is a problem.
        Setting("problems.cod_days", "10", _days),
        *(
            # No new carrier event for this many days: the parcel may be stuck.
            Setting(f"carriers.{cid}.stale_days", "3", _days)
            for cid in CARRIERS
        ),
        Setting("print.label_size", "100x150", _one_of(LABEL_SIZES)),
        Setting("print.invoice_size", "a5", _one_of(INVOICE_SIZES)),
        # zpl when the label printer is a Zebra-style thermal printer on a raw queue.
        Setting("print.label_format", "pdf", _one_of(["pdf", "zpl"])),
        Setting("printers.label", "", _text(100)),
        Setting("printers.invoice", "", _text(100)),
        Setting("printers.picklist", "", _text(100)),
        Setting("printers.slip", "", _text(100)),
    )
}

_HEADER = """\
orderdesk shop settings. Edit by hand or with `orderdesk config set KEY VALUE`.
[keys] remaps the desk's keys by binding id, e.g.  "orders.search" = "ctrl+f"
[statuses.CARRIER] teaches a carrier's status words, e.g. [statuses.jt] "Đã ký nhận" = "delivered"
  (one of: info, transit, delivered, failed, returning, returned, problem)
"""


@dataclass(frozen=True)
class Settings:
    values: dict[str, str]
    keys: dict[str, str]
    path: Path
    # Carrier status words the shop has taught: carrier id → status text → outcome.
    statuses: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.values[key]

    @property
    def language(self) -> str:
        return self.values["language"]

    @property
    def shop_name(self) -> str:
        return self.values["shop.name"]

    @property
    def default_carrier(self) -> str:
        return self.values["shipping.default_carrier"]

    def stale_days(self) -> dict[str, int]:
        return {cid: int(self.values[f"carriers.{cid}.stale_days"]) for cid in CARRIERS}

    def taught_statuses(self) -> dict[str, dict[str, Outcome]]:
        from orderdesk.carriers.base import Outcome, status_key

        return {
            cid: {status_key(word): Outcome(outcome) for word, outcome in words.items()}
            for cid, words in self.statuses.items()
        }


def _default_document() -> tomlkit.TOMLDocument:
    doc = tomlkit.document()
    for line in _HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    for setting in SETTINGS.values():
        _assign(doc, setting.key, setting.default)
    doc.add("keys", tomlkit.table())
    return doc


def _assign(doc: Any, key: str, value: str) -> None:
    *tables, name = key.split(".")
    target = doc
    for table in tables:
        if table not in target:
            target.add(table, tomlkit.table())
        target = target[table]
    target[name] = value


def _lookup(doc: Any, key: str) -> Any:
    target = doc
    for part in key.split("."):
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return target


def _read(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (TOMLKitError, UnicodeDecodeError) as error:
        raise ConfigError("err.config.syntax", path=str(path), reason=str(error)) from None
    except OSError as error:
        raise ConfigError("err.config.read", path=str(path), reason=error.strerror or "") from None


def _write(path: Path, doc: tomlkit.TOMLDocument) -> None:
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    tmp.replace(path)


def load(path: Path | None = None) -> Settings:
    """The settings in `path` (default: the user's config file), created if missing."""
    path = path or config_path()
    if not path.exists():
        _write(path, _default_document())
    doc = _read(path)
    values: dict[str, str] = {}
    for key, setting in SETTINGS.items():
        raw = _lookup(doc, key)
        if raw is None:
            values[key] = setting.default
            continue
        try:
            values[key] = setting.check(str(raw))
        except OrderdeskError as error:
            raise ConfigError(
                "err.config.bad_value", path=str(path), key=key, reason=error.message()
            ) from None
    keys_table = doc.get("keys") or {}
    keys = {str(k): str(v) for k, v in dict(keys_table).items()}
    return Settings(values, keys, path, _statuses(doc, path))


def _statuses(doc: Any, path: Path) -> dict[str, dict[str, str]]:
    from orderdesk.carriers.base import Outcome

    table = doc.get("statuses") or {}
    found: dict[str, dict[str, str]] = {}
    for carrier, words in dict(table).items():
        if carrier not in CARRIERS or not isinstance(words, dict):
            raise ConfigError(
                "err.config.bad_value",
                path=str(path),
                key=f"statuses.{carrier}",
                reason=t("err.carrier.unknown", carrier=carrier, known=", ".join(CARRIERS)),
            )
        for word, outcome in dict(words).items():
            if str(outcome) not in {o.value for o in Outcome}:
                raise ConfigError(
                    "err.config.bad_value",
                    path=str(path),
                    key=f"statuses.{carrier}.{word}",
                    reason=t(
                        "err.config.choice",
                        value=outcome,
                        options=", ".join(o.value for o in Outcome),
                    ),
                )
            found.setdefault(str(carrier), {})[str(word)] = str(outcome)
    return found


def set_value(key: str, value: str, path: Path | None = None) -> str:
    """Validate and store one setting; returns the value as stored."""
    path = path or config_path()
    settings = load(path)
    doc = _read(path)
    if key.startswith("keys."):
        binding = key.removeprefix("keys.")
        spec = clean(value).lower()
        if not _KEY_NAME.match(binding) or not spec or not _KEYSPEC.match(spec):
            raise ConfigError("err.config.key_spec", value=value)
        if "keys" not in doc:
            doc.add("keys", tomlkit.table())
        doc["keys"][binding] = spec  # type: ignore[index]
        _write(path, doc)
        return spec
    if key.startswith("statuses."):
        return _teach(doc, path, key, value)
    setting = SETTINGS.get(key)
    if setting is None:
        raise ConfigError("err.config.unknown_key", key=key, keys=", ".join(SETTINGS))
    stored = setting.check(value)
    if key == "shop.ward" and stored:
        province = settings.get("shop.province")
        if not province:
            raise ConfigError("err.config.ward_needs_province")
        from orderdesk import address

        try:
            stored = address.resolve(province, stored).ward.name
        except InvalidInput as error:
            raise ConfigError("err.config.invalid", reason=error.errors[0].message()) from None
    _assign(doc, key, stored)
    _write(path, doc)
    return stored


def _teach(doc: Any, path: Path, key: str, value: str) -> str:
    """`statuses.CARRIER.WORD = OUTCOME`: a carrier status word the tables do not know."""
    from orderdesk.carriers.base import Outcome

    _, _, rest = key.partition(".")
    carrier, _, word = rest.partition(".")
    if carrier not in CARRIERS:
        raise ConfigError("err.carrier.unknown", carrier=carrier, known=", ".join(CARRIERS))
    word = clean(word)
    outcome = _one_of([o.value for o in Outcome])(value)
    if not word:
        raise ConfigError("err.config.required")
    if "statuses" not in doc:
        doc.add("statuses", tomlkit.table())
    if carrier not in doc["statuses"]:
        doc["statuses"].add(carrier, tomlkit.table())
    doc["statuses"][carrier][word] = outcome
    _write(path, doc)
    return outcome


def show(settings: Settings) -> list[tuple[str, str]]:
    rows = list(settings.values.items())
    rows += [(f"keys.{k}", v) for k, v in sorted(settings.keys.items())]
    rows += [
        (f"statuses.{cid}.{word}", outcome)
        for cid, words in sorted(settings.statuses.items())
        for word, outcome in sorted(words.items())
    ]
    return rows
