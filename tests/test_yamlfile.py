"""`resvoice.yamlfile`: YAML into pydantic with errors naming the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from resvoice.errors import FixtureError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.yamlfile import load_yaml_model, parse_yaml_model

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "restaurant.yaml"

GOOD = """\
restaurant:
  name: Test Trattoria
  phone: "+1 555 010 0100"
  address: 1 Main Street
hours:
  monday: closed
  tuesday: {open: "17:00", close: "22:00"}
  wednesday: {open: "17:00", close: "22:00"}
  thursday: {open: "17:00", close: "22:00"}
  friday: {open: "17:00", close: "22:00"}
  saturday:
    open: "12:00"
    close: "23:00"
  sunday: {open: "17:00", close: "22:00"}
tables:
  - {seats: 8, count: 1}
menu:
  - name: Soup
    category: starters
    price: 9
  - name: Bread
    category: sides
    price: 4.5
"""


def _line(text: str, needle: str) -> int:
    """1-based line of the first line of `text` containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _error(text: str) -> FixtureError:
    with pytest.raises(FixtureError) as caught:
        parse_yaml_model(text, RestaurantProfile, "demo.yaml")
    return caught.value


def test_good_file_validates() -> None:
    profile = parse_yaml_model(GOOD, RestaurantProfile, "demo.yaml")
    assert profile.restaurant.name == "Test Trattoria"
    assert profile.menu[1].price == 4.5


def test_shipped_fixture_validates() -> None:
    profile = load_yaml_model(FIXTURE, RestaurantProfile)
    assert profile.restaurant.name == "Olive & Ember"


def test_malformed_yaml_names_the_line() -> None:
    error = _error(GOOD.replace("    price: 9\n", "    price: [9\n"))
    assert error.path == "demo.yaml"
    assert error.line is not None and error.line >= 20
    assert "invalid YAML" in str(error)


def test_bad_indentation_names_the_line() -> None:
    text = "restaurant:\n  name: X\n phone: 1\n"
    error = _error(text)
    assert error.line == 3
    assert str(error).startswith("demo.yaml:3: invalid YAML")


def test_unknown_key_at_its_line() -> None:
    text = GOOD.replace("    price: 4.5", "    prise: 4.5")
    error = _error(text)
    assert error.line == _line(text, "prise") == 23
    assert error.field == "menu[1].prise"
    assert error.detail == "unknown key 'prise'; did you mean 'price'?"
    assert str(error) == "demo.yaml:23: unknown key 'prise'; did you mean 'price'? (menu[1].prise)"


def test_unknown_key_inside_a_union_branch() -> None:
    text = GOOD.replace('    close: "23:00"', '    clos: "23:00"')
    error = _error(text)
    assert error.line == _line(text, "clos:")
    assert error.field == "hours.saturday.clos"
    assert error.detail.startswith("unknown key 'clos'")


def test_unknown_extra_key_without_a_missing_one() -> None:
    text = GOOD.replace("    price: 4.5", "    price: 4.5\n    spicy: true")
    error = _error(text)
    assert error.line == _line(text, "spicy")
    assert error.detail == "unknown key 'spicy'"
    assert error.field == "menu[1].spicy"


def test_wrong_type_at_the_value_line() -> None:
    text = GOOD.replace("    price: 9", "    price: nine")
    error = _error(text)
    assert error.line == _line(text, "nine")
    assert error.field == "menu[0].price"
    assert "valid number" in error.detail and "'nine'" in error.detail


def test_missing_required_field_at_the_parent() -> None:
    error = _error(GOOD.replace('  phone: "+1 555 010 0100"\n', ""))
    assert error.line == 1  # the `restaurant:` key
    assert error.field == "restaurant.phone"
    assert error.detail == "missing required field 'phone'"


def test_missing_field_in_a_list_item_points_at_the_item() -> None:
    text = GOOD.replace("    category: sides\n", "")
    error = _error(text)
    assert error.line == _line(text, "Bread")
    assert error.field == "menu[1].category"


def test_model_validator_error_points_at_its_mapping() -> None:
    text = GOOD.replace('    close: "23:00"', '    close: "11:00"')
    error = _error(text)
    assert error.line == _line(text, "saturday")
    assert error.field == "hours.saturday"
    assert "close must be after open" in error.detail


def test_duplicate_key_is_an_error() -> None:
    text = GOOD.replace("    price: 9\n", "    price: 9\n    price: 10\n")
    error = _error(text)
    assert error.line == _line(text, "price: 10")
    assert error.detail == "duplicate key 'price'"


def test_top_level_must_be_a_mapping() -> None:
    error = _error("- one\n- two\n")
    assert error.line == 1
    assert "mapping" in error.detail


def test_empty_file() -> None:
    assert "empty" in _error("# nothing here\n").detail


def test_times_stay_strings_and_yes_is_not_a_bool() -> None:
    class Sample(BaseModel):
        model_config = ConfigDict(extra="forbid")
        at: str
        answer: str
        flag: bool
        count: int
        ratio: float

    sample = parse_yaml_model(
        "at: 17:30\nanswer: yes\nflag: true\ncount: 0100\nratio: 2.5\n", Sample, "s.yaml"
    )
    assert sample.at == "17:30"
    assert sample.answer == "yes"
    assert sample.flag is True
    assert sample.count == 100
    assert sample.ratio == 2.5


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(FixtureError) as caught:
        load_yaml_model(missing, RestaurantProfile)
    assert caught.value.path == str(missing)
    assert "cannot read" in caught.value.detail


def test_file_errors_carry_the_path(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    text = GOOD.replace("    price: 9", "    price: -1")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError) as caught:
        load_yaml_model(path, RestaurantProfile)
    assert str(caught.value).startswith(f"{path}:{_line(text, 'price: -1')}: ")


def test_scalar_in_a_union_reports_the_scalar_branch() -> None:
    text = GOOD.replace("monday: closed", "monday: closd")
    error = _error(text)
    assert error.line == _line(text, "closd")
    assert error.detail == "input should be 'closed', got 'closd'"
    assert error.field == "hours.monday"
