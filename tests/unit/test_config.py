"""Shop settings: created with defaults, changed only to valid values, errors explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from orderdesk import config
from orderdesk.config import ConfigError


def test_first_run_creates_a_commented_file_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "c" / "config.toml"
    settings = config.load(path)
    assert path.exists()
    assert settings.language == "vi"
    assert settings.get("print.label_size") == "100x150"
    assert settings.get("timezone") == "Asia/Ho_Chi_Minh"
    assert path.read_text(encoding="utf-8").startswith("# orderdesk shop settings")


def test_values_are_validated_and_normalized(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert config.set_value("shop.name", "  Tiệm Áo   Nhà Lan ", path) == "Tiệm Áo Nhà Lan"
    assert config.set_value("shop.phone", "0912345678", path) == "0912 345 678"
    assert config.set_value("shop.province", "hcm", path) == "Thành phố Hồ Chí Minh"
    assert config.set_value("shop.ward", "p ben thanh", path) == "Phường Bến Thành"
    assert config.set_value("language", "EN", path) == "en"
    assert config.set_value("keys.orders.search", "ctrl+f", path) == "ctrl+f"
    settings = config.load(path)
    assert settings.shop_name == "Tiệm Áo Nhà Lan"
    assert settings.keys == {"orders.search": "ctrl+f"}
    assert "# orderdesk shop settings" in path.read_text(encoding="utf-8")  # comments kept


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("shop.colour", "red", "unknown setting 'shop.colour'"),
        ("language", "fr", "'fr' is not one of: vi, en"),
        ("print.label_size", "A3", "is not one of"),
        ("shipping.default_carrier", "ups", "is not one of"),
        ("timezone", "Mars/Base", "not a time zone"),
        ("shop.name", "   ", "a value is required"),
        ("shop.ward", "Cửa Nam", "set shop.province before shop.ward"),
        ("keys.orders.search", "ctrl f!!", "is not a key"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(
    tmp_path: Path, key: str, value: str, fragment: str
) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        config.set_value(key, value, path)
    assert fragment in str(caught.value)


def test_a_hand_broken_file_is_explained_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("language = \n[shop\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(path)
    path.write_text('language = "klingon"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad language"):
        config.load(path)
