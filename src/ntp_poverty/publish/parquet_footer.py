"""Copy a Parquet file with new key-value metadata, without decoding or re-encoding its data.

A Parquet file is ``PAR1``, the column chunks, the footer (a Thrift compact-protocol
``FileMetaData``), the footer's length (4 bytes, little-endian) and ``PAR1`` again. Every offset
in the footer points into the part before it, so the data can be copied byte for byte and only
the footer's field 5 (``key_value_metadata``, a list of ``KeyValue{1: key, 2: value}``) replaced.
An incremental release uses it to carry a partition that did not change into the new release with
the new run id (:mod:`ntp_poverty.publish.facts`): a copy of the bytes, not an export.

Only the top-level struct is read field by field; nested values are skipped by their Thrift types
and copied as they are. A file this module cannot read raises :class:`FooterError` naming it.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

MAGIC = b"PAR1"
KEY_VALUE_METADATA = 5  # FileMetaData field id
# Thrift compact-protocol types
BOOL_TRUE, BOOL_FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(1, 13)


class FooterError(Exception):
    """The file is not a Parquet file this module can read."""


class _Reader:
    """Skips Thrift compact-protocol values in ``data``, keeping the position."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data, self.pos, self.name = data, 0, name

    def fail(self, what: str) -> FooterError:
        return FooterError(f"{self.name}: footer byte {self.pos}: {what}")

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise self.fail("the footer ends inside a value")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            value = self.byte()
            result |= (value & 0x7F) << shift
            if not value & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise self.fail("a varint longer than 10 bytes")

    def skip(self, kind: int) -> None:
        if kind in (BOOL_TRUE, BOOL_FALSE):
            return
        if kind == BYTE:
            self.pos += 1
        elif kind in (I16, I32, I64):
            self.varint()
        elif kind == DOUBLE:
            self.pos += 8
        elif kind == BINARY:
            length = self.varint()  # read first: `self.pos += self.varint()` loses the varint's bytes
            self.pos += length
        elif kind in (LIST, SET):
            header = self.byte()
            size = header >> 4 if header >> 4 != 15 else self.varint()
            element = header & 0x0F
            for _ in range(size):
                if element in (BOOL_TRUE, BOOL_FALSE):
                    self.pos += 1  # a boolean in a collection is one byte
                else:
                    self.skip(element)
        elif kind == MAP:
            size = self.varint()
            if size:
                types = self.byte()
                for _ in range(size):
                    self.skip(types >> 4)
                    self.skip(types & 0x0F)
        elif kind == STRUCT:
            self.fields()
        else:
            raise self.fail(f"unknown Thrift type {kind}")
        if self.pos > len(self.data):
            raise self.fail("the footer ends inside a value")

    def fields(self) -> list[tuple[int, int, bytes]]:
        """Read a struct up to its stop byte: ``(field id, type, the value's bytes)`` per field."""
        out: list[tuple[int, int, bytes]] = []
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return out
            kind, delta = header & 0x0F, header >> 4
            if delta:
                field = last + delta
            else:
                raw = self.varint()
                field = (raw >> 1) ^ -(raw & 1)
            start = self.pos
            self.skip(kind)
            out.append((field, kind, self.data[start : self.pos]))
            last = field


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _binary(text: str) -> bytes:
    raw = text.encode("utf-8")
    return _varint(len(raw)) + raw


def _key_values(metadata: dict[str, str]) -> bytes:
    """``list<KeyValue>`` in the compact protocol."""
    size = len(metadata)
    out = bytearray([size << 4 | STRUCT] if size < 15 else [0xF0 | STRUCT])
    if size >= 15:
        out += _varint(size)
    for key, value in metadata.items():
        out += bytes([1 << 4 | BINARY]) + _binary(key) + bytes([1 << 4 | BINARY]) + _binary(value) + b"\x00"
    return bytes(out)


def _struct(fields: list[tuple[int, int, bytes]]) -> bytes:
    out, last = bytearray(), 0
    for field, kind, value in sorted(fields, key=lambda f: f[0]):
        delta = field - last
        if 0 < delta <= 15:
            out.append(delta << 4 | kind)
        else:
            out.append(kind)
            out += _varint((field << 1) ^ (field >> 63))
        out += value
        last = field
    return bytes(out + b"\x00")


def _decode_key_values(value: bytes, name: str) -> dict[str, str]:
    reader = _Reader(value, name)
    header = reader.byte()
    size = header >> 4 if header >> 4 != 15 else reader.varint()
    if header & 0x0F != STRUCT:
        raise reader.fail("key_value_metadata is not a list of structs")
    out: dict[str, str] = {}
    for _ in range(size):
        fields = {field: raw for field, _kind, raw in reader.fields()}
        key = _Reader(fields.get(1, b"\x00"), name)
        length = key.varint()
        text = fields.get(2)
        value_reader = _Reader(text, name) if text is not None else None
        value_length = value_reader.varint() if value_reader else 0
        out[key.data[key.pos : key.pos + length].decode("utf-8")] = (
            value_reader.data[value_reader.pos : value_reader.pos + value_length].decode("utf-8")
            if value_reader
            else ""
        )
    return out


def _footer(path: Path) -> tuple[int, bytes]:
    """The footer's offset in the file and its bytes."""
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(4)
        file.seek(max(size - 8, 0))
        tail = file.read(8)
        if size < 12 or head != MAGIC or tail[4:] != MAGIC:
            raise FooterError(f"{path}: not a Parquet file (no PAR1 at both ends)")
        length = struct.unpack("<I", tail[:4])[0]
        start = size - 8 - length
        if start < 4:
            raise FooterError(f"{path}: footer length {length} exceeds the file")
        file.seek(start)
        return start, file.read(length)


def key_value_metadata(path: Path) -> dict[str, str]:
    """The file's key-value metadata, read from its footer."""
    _, footer = _footer(path)
    for field, _kind, value in _Reader(footer, str(path)).fields():
        if field == KEY_VALUE_METADATA:
            return _decode_key_values(value, str(path))
    return {}


def copy_with_metadata(source: Path, target: Path, updates: dict[str, str]) -> None:
    """Write ``target``: ``source``'s bytes with ``updates`` merged into its key-value metadata."""
    start, footer = _footer(source)
    fields = _Reader(footer, str(source)).fields()
    metadata: dict[str, str] = {}
    for field, _kind, value in fields:
        if field == KEY_VALUE_METADATA:
            metadata = _decode_key_values(value, str(source))
    metadata.update(updates)
    kept = [f for f in fields if f[0] != KEY_VALUE_METADATA]
    new_footer = _struct([*kept, (KEY_VALUE_METADATA, LIST, _key_values(metadata))])
    with source.open("rb") as reader, target.open("wb") as writer:
        remaining = start
        while remaining:  # the data part, byte for byte (in the kernel where it can)
            sent = os.sendfile(writer.fileno(), reader.fileno(), start - remaining, remaining)
            if sent == 0:
                raise FooterError(f"{source}: the file ended while copying its data")
            remaining -= sent
        writer.seek(start)
        writer.write(new_footer + struct.pack("<I", len(new_footer)) + MAGIC)
