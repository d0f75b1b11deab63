"""Generate the geography seeds for the whole country from the two maintained packages.

The plan documents name provinces and districts of the 63-province structure, but from 1 July 2025
Vietnam has 34 provinces and no districts (NQ 202/2025/QH15 and the commune-level resolutions of
the National Assembly Standing Committee). Typing units by hand would drift from the official
lists, so every unit, code, name, parent, coordinate and successor comes from two packages pinned
in requirements.lock, read offline:

* ``vietnamadminunits``: the legacy units (63 provinces, 696 districts, 10,035 communes, with GSO
  codes and coordinates), the 2025 communes with coordinates, and its legacy → 2025 converter
  (which legacy commune went to which 2025 commune, and which were divided among several);
* ``vietnam-provinces``: the 34 provinces and 3,321 communes from 1 July 2025 with their GSO codes
  and names. It is the authority for 2025 codes and names: the two packages give different codes to
  123 of the 2025 communes, so 2025 communes are matched between them by province and name, never
  by code (an unmatched or doubly matched name stops the generator).

Keys. GSO codes of the two eras collide with different meanings: a 2025 commune code is the code
of one of the legacy communes it absorbed, and a merged province keeps the code of the province
whose seat it keeps (2025 "Bắc Ninh" is 24, the code of legacy Bắc Giang). So ``geography_code`` is
the GSO code for every legacy unit, and for a 2025 province whose territory did not change (the
same row continues: Điện Biên 11, Cao Bằng 04); a unit whose territory changed is a new version,
so every other 2025 unit is keyed ``<GSO code>@2025``: all 2025 communes, the seven provinces that
took another name over a kept code (Bắc Ninh 24@2025), and the sixteen that kept their name and
code but absorbed other provinces (Vĩnh Long 86@2025 with Bến Tre and Trà Vinh; Cần Thơ 92@2025
with Hậu Giang and Sóc Trăng), whose legacy rows end on 30 June 2025 with the new version as their
successor. ``gso_code`` always holds the code as GSO prints it.

Hand-kept facts (the packages have none of them): the socio-economic region of each of the 63
legacy provinces (GSO's six regions), in ``REGIONS``. A 2025 province takes the region of the
province whose code it carries; a 2025 commune the region of its predecessors' legacy province.

Usage: ``ntp geography [--seeds-dir DIR] [--check]`` (``make geography``);
``--check`` writes nothing and exits 1 when the committed seeds differ from a fresh generation.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from importlib.metadata import version
from typing import Any

from ntp_poverty.common.arguments import existing_dir
from ntp_poverty.project import project_dir

PACKAGES = ("vietnamadminunits", "vietnam-provinces")
LEGACY_END = "2025-06-30"
REFORM_START = "2025-07-01"
ERA_SUFFIX = "@2025"
REFORM = "NQ 202/2025/QH15"

#: GSO's six socio-economic regions of the 63 legacy provinces (hand-kept: neither package has
#: regions), as (Vietnamese, English) -> legacy province codes.
REGIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"): (
        "02",
        "04",
        "06",
        "08",
        "10",
        "11",
        "12",
        "14",
        "15",
        "17",
        "19",
        "20",
        "24",
        "25",
    ),
    ("Đồng bằng sông Hồng", "Red River Delta"): ("01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37"),
    ("Bắc Trung Bộ và duyên hải miền Trung", "North Central and Central Coast"): (
        "38",
        "40",
        "42",
        "44",
        "45",
        "46",
        "48",
        "49",
        "51",
        "52",
        "54",
        "56",
        "58",
        "60",
    ),
    ("Tây Nguyên", "Central Highlands"): ("62", "64", "66", "67", "68"),
    ("Đông Nam Bộ", "Southeast"): ("70", "72", "74", "75", "77", "79"),
    ("Đồng bằng sông Cửu Long", "Mekong River Delta"): (
        "80",
        "82",
        "83",
        "84",
        "86",
        "87",
        "89",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ),
}

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
ASCII_PUNCTUATION = {"\u2018": "'", "\u2019": "'", "\u2013": "-", "\u2014": "-", "đ": "d", "Đ": "D"}
UNIT_TYPES_2025 = {
    "tỉnh": "Tỉnh",
    "thành phố trung ương": "Thành phố",
    "xã": "Xã",
    "phường": "Phường",
    "đặc khu": "Đặc khu",
}


class GeographyError(Exception):
    """The packages cannot be turned into consistent seeds; the message names the unit concerned."""


@dataclass(frozen=True)
class Geography:
    """One row of seeds/reference/geographies.csv (every value as the CSV prints it)."""

    geography_code: str
    gso_code: str
    name_vi: str
    full_name_vi: str
    name_en: str
    unit_type_vi: str
    admin_level: str
    parent_geography_code: str
    region_vi: str
    region_en: str
    latitude: str
    longitude: str
    valid_from: str
    valid_to: str
    successor_geography_code: str
    successor_effective_date: str
    successor_note: str


@dataclass(frozen=True)
class Successor:
    """One row of seeds/reference/geography_successors.csv: a legacy unit and one 2025 successor."""

    geography_code: str
    successor_geography_code: str
    mapping_rule: str
    is_default_successor: str


def clean(text: str) -> str:
    """NFC with single spaces: the packages print a few names with doubled or trailing spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def ascii_name(name_vi: str, where: str) -> str:
    """The English (ASCII) form of a Vietnamese name: diacritics removed, đ -> d."""
    text = "".join(ASCII_PUNCTUATION.get(ch, ch) for ch in name_vi)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    if not text.isascii():
        raise GeographyError(f"{where}: name {name_vi!r} has characters with no ASCII form: {text!r}")
    return text


def name_key(name: str) -> tuple[tuple[str, str], ...]:
    """Compare names across packages: case, apostrophes, dashes and tone placement (hoà/hòa) aside."""
    text = unicodedata.normalize("NFD", clean(name).casefold())
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return tuple(
        ("".join(c for c in w if c not in TONE_MARKS), "".join(c for c in w if c in TONE_MARKS)) for w in text.split()
    )


def coordinate(value: Any) -> str:
    """A latitude or longitude as the package stores it; empty when it has none."""
    return "" if value is None else repr(float(value))


def package_versions() -> dict[str, str]:
    """Installed versions of the packages the seeds are generated from (recorded in the seed YAML)."""
    return {name: version(name) for name in PACKAGES}


def region_of(province_code: str) -> tuple[str, str]:
    """The hand-kept region of a legacy province code."""
    found = [region for region, codes in REGIONS.items() if province_code in codes]
    if len(found) != 1:
        raise GeographyError(f"province {province_code}: in {len(found)} regions of REGIONS (must be 1)")
    return found[0]


@dataclass(frozen=True)
class Sources:
    """What the generator reads from the packages."""

    legacy: list[dict[str, Any]]  # vietnamadminunits admin_units_legacy (one row per commune)
    new_units: list[dict[str, Any]]  # vietnamadminunits admin_units (2025 communes)
    provinces_2025: list[tuple[str, str, str]]  # vietnam-provinces: (code, name, division type)
    communes_2025: list[tuple[str, str, str, str]]  # vietnam-provinces: (code, name, type, province)
    province_groups: Mapping[str, Sequence[str]]  # new province key -> legacy province keys
    undivided: Mapping[str, Mapping[str, Sequence[str]]]  # new prov key -> new ward key -> old keys
    divided: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]]  # new prov -> old key -> wards


def load_sources() -> Sources:
    """Read both packages (offline: their data ship inside the wheels)."""
    from vietnam_provinces import Province, Ward  # noqa: PLC0415 - the packages load their data on import
    from vietnamadminunits.converter import converter_2025  # noqa: PLC0415 - the packages load their data on import
    from vietnamadminunits.database import get_data  # noqa: PLC0415 - the packages load their data on import

    return Sources(
        legacy=get_data(table="admin_units_legacy"),
        new_units=get_data(table="admin_units"),
        provinces_2025=[(f"{int(p.code):02d}", p.name, p.division_type.value) for p in Province.iter_all()],
        communes_2025=[
            (f"{int(w.code):05d}", w.name, w.division_type.value, f"{int(w.province_code):02d}")
            for w in Ward.iter_all()
        ],
        province_groups=converter_2025.DICT_PROVINCE,
        undivided=converter_2025.DICT_PROVINCE_WARD_NO_DIVIDED,
        divided=converter_2025.DICT_PROVINCE_WARD_DIVIDED,
    )


def _short_2025(name: str, unit_type: str, where: str) -> str:
    """A vietnam-provinces name without its unit type ("Phường Hồng Hà" -> "Hồng Hà")."""
    name = clean(name)
    prefix = unit_type + " "
    if name.casefold().startswith(prefix.casefold()):
        rest = name[len(prefix) :]
        return name if rest.isdigit() else rest
    if unit_type == "Tỉnh":
        return name  # vietnam-provinces prints provinces without "Tỉnh"
    raise GeographyError(f"{where}: name {name!r} does not start with its unit type {unit_type!r}")


def _unit_type(full: str, short: str, where: str) -> str:
    """The unit type a legacy full name starts with ("Tỉnh Sơn La", "Sơn La" -> "Tỉnh")."""
    if full.endswith(" " + short):
        return full[: -len(short) - 1]
    raise GeographyError(f"{where}: full name {full!r} does not end with its short name {short!r}")


def _join(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def build(src: Sources) -> tuple[list[Geography], list[Successor]]:
    """Turn the packages into geography rows and legacy -> 2025 successor rows (sorted, stable)."""
    rows: dict[str, Geography] = {}
    successors: list[Successor] = []

    def add(row: Geography) -> None:
        if row.geography_code in rows:
            raise GeographyError(
                f"geography_code {row.geography_code!r} would be used twice "
                f"({rows[row.geography_code].full_name_vi} and {row.full_name_vi})"
            )
        rows[row.geography_code] = row

    # -- legacy units (vietnamadminunits)
    legacy_provinces: dict[str, dict[str, Any]] = {}
    legacy_districts: dict[str, dict[str, Any]] = {}
    legacy_by_key: dict[str, dict[str, Any]] = {}  # converter key "province_district_ward" -> row
    for r in src.legacy:
        legacy_provinces.setdefault(r["provinceCode"], r)
        legacy_districts.setdefault(r["districtCode"], r)
        legacy_by_key[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"] = r
    province_code_of_key = {r["provinceKey"]: code for code, r in legacy_provinces.items()}

    # -- 2025 provinces and communes (vietnam-provinces), with coordinates from vietnamadminunits
    new_province_rows = {r["provinceCode"]: r for r in src.new_units}
    vp_provinces = {code: (clean(name), kind) for code, name, kind in src.provinces_2025}
    if set(vp_provinces) != set(new_province_rows):
        raise GeographyError(
            f"2025 province codes differ between packages: vietnam-provinces "
            f"{sorted(set(vp_provinces) ^ set(new_province_rows))} not in both"
        )
    vp_by_name: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[str, str, str, str]] = {}
    for commune in src.communes_2025:
        key = (commune[3], name_key(commune[1]))
        if key in vp_by_name:
            raise GeographyError(f"vietnam-provinces: two 2025 communes named {commune[1]!r} in province {commune[3]}")
        vp_by_name[key] = commune
    matched: dict[str, dict[str, Any]] = {}  # 2025 GSO code -> vietnamadminunits row
    new_code_of_key: dict[tuple[str, str], str] = {}  # (province key, ward key) -> 2025 GSO code
    for r in src.new_units:
        hit = vp_by_name.get((r["provinceCode"], name_key(r["ward"])))
        if hit is None or hit[0] in matched:
            raise GeographyError(
                f"vietnamadminunits 2025 commune {r['ward']!r} ({r['wardCode']}, province "
                f"{r['provinceCode']}) has {'no' if hit is None else 'a second'} match by "
                "name in vietnam-provinces"
            )
        matched[hit[0]] = r
        new_code_of_key[(r["provinceKey"], r["wardKey"])] = hit[0]
    if len(matched) != len(src.communes_2025):
        raise GeographyError(
            f"{len(src.communes_2025) - len(matched)} vietnam-provinces 2025 communes have no "
            "vietnamadminunits counterpart (coordinates, converter)"
        )

    # -- province successors: which legacy provinces form each 2025 province
    new_code_of_province_key = {r["provinceKey"]: r["provinceCode"] for r in src.new_units}
    group_of: dict[str, list[str]] = {}  # 2025 province code -> legacy province codes
    successor_province: dict[str, str] = {}  # legacy province code -> 2025 province code
    for new_key, old_keys in src.province_groups.items():
        new_code = new_code_of_province_key[new_key]
        group_of[new_code] = sorted(province_code_of_key[k] for k in old_keys)
        for old_code in group_of[new_code]:
            if old_code in successor_province:
                raise GeographyError(f"legacy province {old_code} goes to two 2025 provinces")
            successor_province[old_code] = new_code
    if set(successor_province) != set(legacy_provinces):
        raise GeographyError(
            f"legacy provinces without a 2025 province: {sorted(set(legacy_provinces) - set(successor_province))}"
        )

    def legacy_short(code: str) -> str:
        return clean(legacy_provinces[code]["provinceShort"])

    province_key: dict[str, str] = {}  # 2025 province code -> geography_code
    for code, (name, kind) in vp_provinces.items():
        unit_type = UNIT_TYPES_2025[kind]
        short = _short_2025(name, unit_type, f"2025 province {code}")
        # the same row continues only where nothing changed: the name, the code and the territory
        continues = code in legacy_provinces and legacy_short(code) == short and group_of[code] == [code]
        province_key[code] = code if continues else code + ERA_SUFFIX

    def label(code: str) -> str:
        return f"{legacy_short(code)} ({code})"

    for code, r in sorted(legacy_provinces.items()):
        new_code = successor_province[code]
        key = province_key[new_code]
        new_name, new_kind = vp_provinces[new_code]
        others = [c for c in group_of[new_code] if c != code]
        if key == code:  # the same row continues into 2025: nothing changed
            new_row = new_province_rows[new_code]
            note = f"Unchanged by {REFORM}."
            lat, lon, valid_to = new_row["provinceLat"], new_row["provinceLon"], ""
        else:
            short_new = _short_2025(new_name, UNIT_TYPES_2025[new_kind], f"2025 province {new_code}")
            note = (
                f"Merged with {_join(label(c) for c in others)} into {short_new} ({key}) by {REFORM}"
                if others
                else f"Became {short_new} ({key}) under {REFORM}"
            )
            note += "; the new province keeps this code." if new_code == code else "."
            lat, lon, valid_to = r["provinceLat"], r["provinceLon"], LEGACY_END
        short, full = legacy_short(code), clean(r["province"])
        region = region_of(code)
        add(
            Geography(
                code,
                code,
                short,
                full,
                ascii_name(short, f"province {code}"),
                _unit_type(full, short, f"province {code}"),
                "province",
                "",
                region[0],
                region[1],
                coordinate(lat),
                coordinate(lon),
                "",
                valid_to,
                key,
                REFORM_START,
                note,
            )
        )
        successors.append(Successor(code, key, "province_merger", "true"))

    for code, (name, kind) in sorted(vp_provinces.items()):
        key = province_key[code]
        if key == code:
            continue
        unit_type = UNIT_TYPES_2025[kind]
        short = _short_2025(name, unit_type, f"2025 province {code}")
        region = region_of(code)
        note = (
            f"Formed by {REFORM} from {_join(label(c) for c in group_of[code])}; carries the GSO code "
            f"of {label(code)}, whose seat it keeps."
        )
        new_row = new_province_rows[code]
        add(
            Geography(
                key,
                code,
                short,
                f"{unit_type} {short}",
                ascii_name(short, f"2025 province {code}"),
                unit_type,
                "province",
                "",
                region[0],
                region[1],
                coordinate(new_row["provinceLat"]),
                coordinate(new_row["provinceLon"]),
                REFORM_START,
                "",
                key,
                REFORM_START,
                note,
            )
        )

    # -- commune successors from the converter: legacy key -> [(2025 code, is default)]
    commune_successors: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for new_prov, wards in src.undivided.items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                commune_successors[old_key].append((new_code_of_key[(new_prov, new_ward)], True))
    for new_prov, olds in src.divided.items():
        for old_key, news in olds.items():
            for ward in news:
                commune_successors[old_key].append(
                    (new_code_of_key[(new_prov, ward["newWardKey"])], bool(ward["isDefaultNewWard"]))
                )
    unknown = sorted(set(commune_successors) - set(legacy_by_key))
    unmapped = sorted(set(legacy_by_key) - set(commune_successors))
    if unknown or unmapped:
        raise GeographyError(
            f"converter and legacy units disagree: unknown keys {unknown[:5]}, "
            f"legacy units without a successor {unmapped[:5]}"
        )

    vp_commune = {c[0]: c for c in src.communes_2025}

    def commune_label(code: str) -> str:
        return f"{clean(vp_commune[code][1])} ({code}{ERA_SUFFIX})"

    predecessors: dict[str, list[tuple[str, bool]]] = defaultdict(list)  # 2025 code -> (legacy, whole)
    for old_key, targets in sorted(commune_successors.items()):
        r = legacy_by_key[old_key]
        legacy_code = r["wardCode"] or r["districtCode"]
        expected = successor_province[r["provinceCode"]]
        for new_code, _ in targets:
            predecessors[new_code].append((legacy_code, len(targets) == 1))
            if vp_commune[new_code][3] != expected:
                raise GeographyError(
                    f"legacy unit {legacy_code}: successor {new_code} is in 2025 province "
                    f"{vp_commune[new_code][3]}, not {expected} (its province's successor)"
                )
        if sum(default for _, default in targets) != 1:
            raise GeographyError(f"legacy unit {legacy_code}: {len(targets)} successors but not exactly one default")

    for code, r in sorted(legacy_districts.items()):
        province = r["provinceCode"]
        key = province_key[successor_province[province]]
        short, full = clean(r["districtShort"]), clean(r["district"])
        region = region_of(province)
        note = f"District level abolished from 1 July 2025; its area is in {rows[key].name_vi} ({key})."
        own = commune_successors.get(f"{r['provinceKey']}_{r['districtKey']}_", [])
        if own:
            note += f" The district had no communes; it became {_join(commune_label(c) for c, _ in own)}."
        add(
            Geography(
                code,
                code,
                short,
                full,
                ascii_name(short, f"district {code}"),
                clean(r["districtType"]),
                "district",
                province,
                region[0],
                region[1],
                coordinate(r["districtLat"]),
                coordinate(r["districtLon"]),
                "",
                LEGACY_END,
                key,
                REFORM_START,
                note,
            )
        )
        successors.append(Successor(code, key, "district_abolished", "true"))
        successors.extend(Successor(code, c + ERA_SUFFIX, "district_without_communes", "true") for c, _ in own)

    for old_key, r in sorted(legacy_by_key.items(), key=lambda kv: kv[1]["wardCode"] or ""):
        if not r["wardCode"]:
            continue  # a district without communes: mapped above
        code, province = r["wardCode"], r["provinceCode"]
        targets = sorted(commune_successors[old_key])
        if len(targets) == 1:
            ((new_code, _),) = targets
            whole = [p for p, is_whole in predecessors[new_code]]
            verb = "Continues as" if whole == [code] else "Merged into"
            note = f"{verb} {commune_label(new_code)} from 1 July 2025."
            rule = "commune_merged"
        else:
            default = next(c for c, d in targets if d)
            note = (
                f"Divided from 1 July 2025 among {len(targets)} communes: "
                f"{_join(commune_label(c) for c, _ in targets)}; the package's default is "
                f"{commune_label(default)}."
            )
            rule = "commune_divided"
        short, full = clean(r["wardShort"]), clean(r["ward"])
        region = region_of(province)
        add(
            Geography(
                code,
                code,
                short,
                full,
                ascii_name(short, f"commune {code}"),
                clean(r["wardType"]),
                "commune",
                r["districtCode"],
                region[0],
                region[1],
                coordinate(r["wardLat"]),
                coordinate(r["wardLon"]),
                "",
                LEGACY_END,
                province_key[successor_province[province]],
                REFORM_START,
                note,
            )
        )
        successors.extend(Successor(code, c + ERA_SUFFIX, rule, "true" if d else "false") for c, d in targets)

    for code, name, kind, province in sorted(src.communes_2025):
        unit_type = UNIT_TYPES_2025[kind]
        short = _short_2025(name, unit_type, f"2025 commune {code}")
        preds = predecessors.get(code, [])
        if not preds:
            raise GeographyError(f"2025 commune {code} {name!r} has no legacy predecessor in the converter")
        legacy_provinces_of = {
            rows[p].parent_geography_code
            if rows[p].admin_level == "district"
            else rows[rows[p].parent_geography_code].parent_geography_code
            for p, _ in preds
        }
        region = region_of(legacy_provinces_of.pop()) if len(legacy_provinces_of) == 1 else region_of(province)
        in_part = sum(not whole for _, whole in preds)
        note = (
            f"Formed on 1 July 2025 from {len(preds)} legacy unit(s)"
            + (f", {in_part} of them in part" if in_part else "")
            + "."
        )
        ward = matched[code]
        add(
            Geography(
                code + ERA_SUFFIX,
                code,
                short,
                f"{unit_type} {short}",
                ascii_name(short, f"2025 commune {code}"),
                unit_type,
                "commune",
                province_key[province],
                region[0],
                region[1],
                coordinate(ward["wardLat"]),
                coordinate(ward["wardLon"]),
                REFORM_START,
                "",
                province_key[province],
                REFORM_START,
                note,
            )
        )

    level = {"province": 0, "district": 1, "commune": 2}
    ordered = sorted(rows.values(), key=lambda g: (level[g.admin_level], g.valid_from, g.gso_code))
    return ordered, sorted(successors, key=lambda s: (s.geography_code, s.successor_geography_code))


def render(rows: Sequence[Any], columns: Sequence[str]) -> str:
    """The CSV text of ``rows`` (dataclasses): comma-separated, minimal quoting, LF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([getattr(r, c) for c in columns] for r in rows)
    return out.getvalue()


def generate() -> dict[str, str]:
    """File name under seeds/reference/ -> its generated text."""
    geographies, successors = build(load_sources())
    return {
        "geographies.csv": render(geographies, [f.name for f in fields(Geography)]),
        "geography_successors.csv": render(successors, [f.name for f in fields(Successor)]),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp geography [--seeds-dir DIR] [--check]``."""
    parser.add_argument(
        "--seeds-dir", type=existing_dir, help="folder of the reference seeds (default: the project's seeds/reference)"
    )
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")


def run(args: argparse.Namespace) -> int:
    """Write (or with --check, compare) the generated seeds."""
    started = time.monotonic()
    seeds_dir = args.seeds_dir or project_dir() / "seeds" / "reference"
    try:
        generated = generate()
    except GeographyError as exc:
        print(f"error: geography seeds not generated: {exc}", file=sys.stderr)
        return 1
    versions = ", ".join(f"{name} {v}" for name, v in package_versions().items())
    stale = []
    for name, text in generated.items():
        path = seeds_dir / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
        print(f"{path}: {text.count(chr(10)) - 1} rows")
    print(f"from {versions} in {time.monotonic() - started:.1f} s")
    if stale:
        print(
            f"error: {', '.join(stale)} differ from a fresh generation from {versions}; "
            "run `make geography` and review the diff",
            file=sys.stderr,
        )
        return 1
    return 0
