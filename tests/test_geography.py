"""The country's geography comes from the packages, whole, keyed without collisions, with successors.

The seeds are generated (``make geography``); these tests prove that the committed files are what
the installed packages give (so a package upgrade that changes units fails here, loudly), that
every level and era has the packages' exact counts, that the units the documents use keep their
meaning, and that the warehouse's dimension and bridge follow the 2025 reorganisation.
"""

from __future__ import annotations

import csv
import dataclasses
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import SEEDS
from ntp_poverty.cli import main as ntp
from ntp_poverty.reference import geography as geography_seed
from ntp_poverty.reference.geography import ERA_SUFFIX, GeographyError, Sources

REFERENCE = SEEDS / "reference"

# The packages' own numbers (vietnamadminunits 1.0.4, vietnam-provinces 2025.10.1).
LEGACY_PROVINCES, LEGACY_DISTRICTS, LEGACY_COMMUNES = 63, 696, 10035
PROVINCES_2025, COMMUNES_2025 = 34, 3321


@pytest.fixture(scope="module")
def sources() -> Sources:
    return geography_seed.load_sources()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (REFERENCE / "geographies.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def by_code(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["geography_code"]: r for r in rows}


@pytest.fixture(scope="module")
def successors() -> list[dict[str, str]]:
    with (REFERENCE / "geography_successors.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_committed_seeds_equal_a_fresh_generation() -> None:
    """Deterministic and current: a package upgrade that changes any unit fails here."""
    first, second = geography_seed.generate(), geography_seed.generate()
    assert first == second
    for name, text in first.items():
        assert (REFERENCE / name).read_text(encoding="utf-8") == text, f"run `make geography`: {name} is stale"


def test_the_seed_yaml_names_the_installed_package_versions() -> None:
    text = (REFERENCE / "_reference__geography.yml").read_text(encoding="utf-8")
    descriptions = " ".join(s["description"] for s in yaml.safe_load(text)["seeds"])
    for name, installed in geography_seed.package_versions().items():
        assert f"{name} {installed}" in descriptions, f"update the seed YAML: {name} is now {installed}"


def test_the_packages_have_the_numbers_asserted_here(sources: Sources) -> None:
    assert len({r["provinceCode"] for r in sources.legacy}) == LEGACY_PROVINCES
    assert len({r["districtCode"] for r in sources.legacy}) == LEGACY_DISTRICTS
    assert len({r["wardCode"] for r in sources.legacy if r["wardCode"]}) == LEGACY_COMMUNES
    assert len(sources.provinces_2025) == PROVINCES_2025
    assert len(sources.communes_2025) == COMMUNES_2025


def test_counts_per_level_and_era(rows: list[dict[str, str]]) -> None:
    legacy = Counter(r["admin_level"] for r in rows if r["valid_from"] == "")
    current = Counter(r["admin_level"] for r in rows if r["valid_to"] == "")
    assert legacy == {"province": LEGACY_PROVINCES, "district": LEGACY_DISTRICTS, "commune": LEGACY_COMMUNES}
    assert current == {"province": PROVINCES_2025, "commune": COMMUNES_2025}
    assert len(rows) == len({r["geography_code"] for r in rows})


def test_gso_codes_are_zero_padded_text_of_their_level(rows: list[dict[str, str]]) -> None:
    width = {"province": 2, "district": 3, "commune": 5}
    assert all(r["gso_code"].isdigit() and len(r["gso_code"]) == width[r["admin_level"]] for r in rows)


def test_colliding_codes_are_disambiguated_by_era(by_code: dict[str, dict[str, str]]) -> None:
    """GSO reuses codes: legacy commune 00004 is Trúc Bạch, 2025 commune 00004 is Ba Đình."""
    assert (by_code["00004"]["name_vi"], by_code["00004"]["valid_to"]) == ("Trúc Bạch", "2025-06-30")
    assert (by_code["00004@2025"]["name_vi"], by_code["00004@2025"]["valid_from"]) == ("Ba Đình", "2025-07-01")
    # a province whose territory did not change is one row; one that absorbed another is two versions,
    # whether it kept its name and code (Vĩnh Long 86) or took another name over a kept code (Bắc Ninh)
    assert by_code["11"]["valid_to"] == "" and "11@2025" not in by_code
    assert (by_code["86"]["valid_to"], by_code["86"]["successor_geography_code"]) == ("2025-06-30", "86@2025")
    assert (by_code["86@2025"]["name_vi"], by_code["86@2025"]["valid_from"]) == ("Vĩnh Long", "2025-07-01")
    assert (by_code["24"]["name_vi"], by_code["24"]["successor_geography_code"]) == ("Bắc Giang", "24@2025")
    assert (by_code["24@2025"]["name_vi"], by_code["27"]["successor_geography_code"]) == ("Bắc Ninh", "24@2025")
    for row in by_code.values():
        suffixed = row["geography_code"] == row["gso_code"] + ERA_SUFFIX
        assert suffixed or row["geography_code"] == row["gso_code"], row
        assert not suffixed or row["valid_from"] == "2025-07-01", row


def test_the_units_the_documents_use_keep_their_meaning(by_code: dict[str, dict[str, str]]) -> None:
    expected = {  # code: (name, level, parent, valid_to, successor province)
        "14": ("Sơn La", "province", "", "", "14"),
        "20": ("Lạng Sơn", "province", "", "", "20"),
        "83": ("Bến Tre", "province", "", "2025-06-30", "86@2025"),
        "84": ("Trà Vinh", "province", "", "2025-06-30", "86@2025"),
        "86": ("Vĩnh Long", "province", "", "2025-06-30", "86@2025"),
        "92": ("Cần Thơ", "province", "", "2025-06-30", "92@2025"),
        "93": ("Hậu Giang", "province", "", "2025-06-30", "92@2025"),
        "94": ("Sóc Trăng", "province", "", "2025-06-30", "92@2025"),
        "126": ("Sông Mã", "district", "14", "2025-06-30", "14"),
        "181": ("Bình Gia", "district", "20", "2025-06-30", "20"),
        "184": ("Văn Quan", "district", "20", "2025-06-30", "20"),
    }
    for code, meaning in expected.items():
        row = by_code[code]
        got = (
            row["name_vi"],
            row["admin_level"],
            row["parent_geography_code"],
            row["valid_to"],
            row["successor_geography_code"],
        )
        assert got == meaning, code
        assert row["valid_from"] == ""
    assert {by_code[c]["region_en"] for c in ("14", "20", "126", "181", "184")} == {"Northern Midlands and Mountains"}
    assert {by_code[c]["region_en"] for c in ("83", "84", "86", "92", "93", "94")} == {"Mekong River Delta"}


def test_names_are_nfc_and_english_names_ascii(rows: list[dict[str, str]]) -> None:
    assert all(unicodedata.normalize("NFC", r["name_vi"]) == r["name_vi"] for r in rows)
    assert all(r["name_en"].isascii() for r in rows)


def test_every_legacy_unit_has_a_successor_and_no_2025_unit_is_a_district(
    rows: list[dict[str, str]], successors: list[dict[str, str]]
) -> None:
    legacy = {r["geography_code"] for r in rows if r["valid_from"] == ""}
    assert legacy == {s["geography_code"] for s in successors}
    by_code = {r["geography_code"]: r for r in rows}
    assert all(by_code[s["successor_geography_code"]]["valid_to"] == "" for s in successors)
    current = [r for r in rows if r["valid_to"] == ""]
    assert not [r for r in current if r["admin_level"] == "district"]
    assert not [
        r
        for r in current
        if r["parent_geography_code"] and by_code[r["parent_geography_code"]]["admin_level"] == "district"
    ]


def test_a_divided_commune_has_several_successors_one_of_them_the_default(successors: list[dict[str, str]]) -> None:
    cong_vi = [s for s in successors if s["geography_code"] == "00007"]  # Phường Cống Vị, Ba Đình
    assert {s["successor_geography_code"] for s in cong_vi} == {"00008@2025", "00025@2025"}
    assert {s["mapping_rule"] for s in cong_vi} == {"commune_divided"}
    assert sorted(s["is_default_successor"] for s in cong_vi) == ["false", "true"]


def test_a_disagreement_between_the_packages_stops_the_generator(sources: Sources) -> None:
    """A 2025 commune that vietnamadminunits does not know by name is an error, never a guess."""
    renamed = [(c[0], c[1] + " Mới", c[2], c[3]) if c[0] == "00004" else c for c in sources.communes_2025]
    with pytest.raises(GeographyError, match="Ba Đình"):
        geography_seed.build(dataclasses.replace(sources, communes_2025=renamed))


def test_a_province_without_a_region_stops_the_generator(sources: Sources, monkeypatch: pytest.MonkeyPatch) -> None:
    regions = {k: tuple(c for c in v if c != "94") for k, v in geography_seed.REGIONS.items()}
    monkeypatch.setattr(geography_seed, "REGIONS", regions)
    with pytest.raises(GeographyError, match="province 94"):
        geography_seed.build(sources)


def test_check_mode_reports_a_stale_seed(tmp_path: Path) -> None:
    (tmp_path / "geographies.csv").write_text("geography_code\n", encoding="utf-8")
    assert ntp(["geography", "--seeds-dir", str(tmp_path), "--check"]) == 1
    assert not (tmp_path / "geography_successors.csv").exists()


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
def test_dim_geography_counts_per_level_and_era(built_warehouse: Path) -> None:
    counts = dict(
        ((level, era), n)
        for level, era, n in _query(
            built_warehouse,
            """
        select admin_level, 'legacy', count(*) from core.dim_geography where is_in_legacy_structure group by all
        union all
        select admin_level, '2025', count(*) from core.dim_geography where is_current group by all
    """,
        )
    )
    assert counts == {
        ("province", "legacy"): LEGACY_PROVINCES,
        ("district", "legacy"): LEGACY_DISTRICTS,
        ("commune", "legacy"): LEGACY_COMMUNES,
        ("province", "2025"): PROVINCES_2025,
        ("commune", "2025"): COMMUNES_2025,
    }


@pytest.mark.slow
def test_soc_trang_goes_to_can_tho_and_song_ma_is_in_son_la(built_warehouse: Path) -> None:
    assert _query(
        built_warehouse,
        "select successor_province_code, successor_province_name_vi, valid_to "
        "from core.dim_geography where geography_code = '94'",
    ) == [("92@2025", "Cần Thơ", date(2025, 6, 30))]
    assert _query(
        built_warehouse,
        "select successor_geography_code, is_divided from core.bridge_geography_successor where geography_code = '94'",
    ) == [("92@2025", False)]
    assert _query(
        built_warehouse,
        "select parent_geography_code, province_code, province_name_vi, admin_level "
        "from core.dim_geography where geography_code = '126'",
    ) == [("14", "14", "Sơn La", "district")]
    # a legacy commune of Sông Mã has Sông Mã as district and Sơn La as province
    assert _query(
        built_warehouse,
        "select distinct district_code, province_code from core.dim_geography where parent_geography_code = '126'",
    ) == [("126", "14")]


@pytest.mark.slow
def test_bridge_divides_communes_and_covers_every_legacy_province(built_warehouse: Path) -> None:
    assert _query(
        built_warehouse,
        "select successor_geography_code, n_successors, is_divided "
        "from core.bridge_geography_successor where geography_code = '00007' "
        "order by 1",
    ) == [("00008@2025", 2, True), ("00025@2025", 2, True)]
    ((n_provinces, n_successor_provinces),) = _query(
        built_warehouse,
        """
        select count(distinct bridge.geography_code), count(distinct bridge.successor_geography_code)
        from core.bridge_geography_successor as bridge
        inner join core.dim_geography as legacy on bridge.geography_code = legacy.geography_code
        where legacy.admin_level = 'province' and bridge.successor_admin_level = 'province'
    """,
    )
    assert (n_provinces, n_successor_provinces) == (LEGACY_PROVINCES, PROVINCES_2025)
    # every successor lies in the province the dimension names as the legacy unit's successor
    assert _query(
        built_warehouse,
        """
        select count(*) from core.bridge_geography_successor as bridge
        inner join core.dim_geography as legacy on bridge.geography_code = legacy.geography_code
        where bridge.successor_province_code <> legacy.successor_province_code
    """,
    ) == [(0,)]


@pytest.mark.slow
def test_no_2025_unit_has_a_district_parent_and_every_one_has_a_predecessor(built_warehouse: Path) -> None:
    assert _query(
        built_warehouse,
        """
        select count(*) from core.dim_geography as unit
        inner join core.dim_geography as parent on unit.parent_geography_code = parent.geography_code
        where unit.is_current and parent.admin_level = 'district'
    """,
    ) == [(0,)]
    assert _query(
        built_warehouse,
        """
        select count(*) from core.dim_geography as unit
        where unit.is_current and not unit.is_in_legacy_structure and not exists (
            select 1 from core.bridge_geography_successor as bridge
            where bridge.successor_geography_code = unit.geography_code)
    """,
    ) == [(0,)]
