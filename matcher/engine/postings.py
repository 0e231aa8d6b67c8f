"""Postings: which activities have a term, a place, a grade ... as small integer ids.

Every activity gets a small int id, and a posting holds the ids in whichever form is smaller:
a set while few activities have it, a bitmap once many do. A set costs some 30 to 60 bytes
per member, a bitmap one bit per id of the whole catalogue (12.5 kB for 100,000 activities),
so the few postings that hold most of the entries (common words, gemeenten, grades) shrink
about 250-fold. Queries combine postings as Python ints: and/or/bit_count run in C.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sized

# A set member costs about 32 bytes (256 bits); a bitmap costs 2 bits per id in use (its
# bytearray plus the int it is read as). From this many members on the bitmap is smaller.
_SET_MEMBER_BITS = 256 // 2
# Small catalogues keep sets only: a bitmap saves nothing there.
MIN_BITMAP = 64

_BIT_OFFSETS = tuple(tuple(i for i in range(8) if byte >> i & 1) for byte in range(256))
_NON_ZERO = bytes([0] + [1] * 255)  # translate table: 1 for every non-zero byte


def ids_of(bits: int) -> list[int]:
    """The ids set in a bitmap, ascending."""
    if not bits:
        return []
    count, length = bits.bit_count(), bits.bit_length()
    if count * 64 < length:
        # Very sparse: find the non-zero bytes with bytes.find (memchr) on a 0/1 copy.
        data = bits.to_bytes((length + 7) // 8, "little")
        find = data.translate(_NON_ZERO).find
        found = []
        pos = find(1)
        while pos >= 0:
            base = pos << 3
            found.extend([base | bit for bit in _BIT_OFFSETS[data[pos]]])
            pos = find(1, pos + 1)
        return found
    if count * 8 < length:
        # Sparse: let str.find skip the zeros in C, one Python step per member.
        text = bin(bits)
        top = len(text) - 1
        found = []
        pos = text.find("1", 2)
        while pos >= 0:
            found.append(top - pos)
            pos = text.find("1", pos + 1)
        found.reverse()
        return found
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    return [(i << 3) | bit for i, byte in enumerate(data) if byte for bit in _BIT_OFFSETS[byte]]


def bits_of(ids: Iterable[int]) -> int:
    """A bitmap with these ids set."""
    data = bytearray()
    for doc in ids:
        index = doc >> 3
        if index >= len(data):
            data.extend(bytes(index + 1 - len(data)))
        data[index] |= 1 << (doc & 7)
    return int.from_bytes(data, "little")


class Bits:
    """Constant-time membership test on a bitmap (testing a bit of an int copies the int)."""

    __slots__ = ("_data",)

    def __init__(self, bits: int = 0) -> None:
        self._data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")

    def __contains__(self, doc: int) -> bool:
        index = doc >> 3
        return index < len(self._data) and bool(self._data[index] >> (doc & 7) & 1)


class _Bitmap:
    """A mutable bitmap: a bytearray for O(1) edits, read as an int (cached until an edit)."""

    __slots__ = ("data", "count", "cached")

    def __init__(self, ids: Iterable[int]) -> None:
        self.data = bytearray()
        self.count = 0
        self.cached: int | None = None
        for doc in ids:
            index = doc >> 3
            if index >= len(self.data):
                self.data.extend(bytes(index + 1 - len(self.data)))
            self.data[index] |= 1 << (doc & 7)
            self.count += 1

    def discard(self, doc: int) -> None:
        index, mask = doc >> 3, 1 << (doc & 7)
        if index < len(self.data) and self.data[index] & mask:
            self.data[index] &= ~mask & 0xFF
            self.count -= 1
            self.cached = None

    def __contains__(self, doc: int) -> bool:
        index = doc >> 3
        return index < len(self.data) and bool(self.data[index] >> (doc & 7) & 1)

    def bits(self) -> int:
        if self.cached is None:
            self.cached = int.from_bytes(self.data, "little")
        return self.cached


class Postings:
    """Ids per key (a term, a gemeente, a (sector, grade) ...), each in its smaller form.

    `space` is anything whose len() is the number of ids in use (the catalogue's id table); a
    set becomes a bitmap once it holds more than 1/128 of them.
    """

    def __init__(self, space: Sized) -> None:
        self._space = space
        self._sets: dict[Hashable, set[int]] = {}
        self._bitmaps: dict[Hashable, _Bitmap] = {}

    def add(self, key: Hashable, doc: int) -> None:
        self.add_all((key,), doc)

    def add_all(self, keys: Iterable[Hashable], doc: int) -> list[Hashable]:
        """Add one id under several keys; returns the keys that are new.

        The hot loop of a bulk load, so the bitmap update is inlined.
        """
        bitmaps, sets = self._bitmaps, self._sets
        promote_above = max(MIN_BITMAP - 1, len(self._space) // _SET_MEMBER_BITS)
        index, mask = doc >> 3, 1 << (doc & 7)
        new = []
        for key in keys:
            bitmap = bitmaps.get(key)
            if bitmap is not None:
                data = bitmap.data
                if index >= len(data):
                    data.extend(bytes(index + 1 - len(data)))
                if not data[index] & mask:
                    data[index] |= mask
                    bitmap.count += 1
                    bitmap.cached = None
                continue
            members = sets.get(key)
            if members is None:
                members = sets[key] = set()
                new.append(key)
            members.add(doc)
            if len(members) > promote_above:
                bitmaps[key] = _Bitmap(sets.pop(key))
        return new

    def discard(self, key: Hashable, doc: int) -> None:
        """Take an id out; a key without ids disappears."""
        members = self._sets.get(key)
        if members is not None:
            members.discard(doc)
            if not members:
                del self._sets[key]
            return
        bitmap = self._bitmaps.get(key)
        if bitmap is not None:
            bitmap.discard(doc)
            if not bitmap.count:
                del self._bitmaps[key]

    def __contains__(self, key: object) -> bool:
        return key in self._sets or key in self._bitmaps

    def __iter__(self) -> Iterator[Hashable]:
        yield from self._sets
        yield from self._bitmaps

    def count(self, key: Hashable) -> int:
        """How many ids the key has (0 when unknown)."""
        members = self._sets.get(key)
        if members is not None:
            return len(members)
        bitmap = self._bitmaps.get(key)
        return 0 if bitmap is None else bitmap.count

    def has(self, key: Hashable, doc: int) -> bool:
        members = self._sets.get(key)
        if members is not None:
            return doc in members
        bitmap = self._bitmaps.get(key)
        return bitmap is not None and doc in bitmap

    def bits(self, key: Hashable) -> int:
        """The ids of a key as a bitmap (0 when unknown)."""
        bitmap = self._bitmaps.get(key)
        if bitmap is not None:
            return bitmap.bits()
        members = self._sets.get(key)
        return bits_of(members) if members else 0

    def ids(self, key: Hashable) -> list[int]:
        """The ids of a key, ascending."""
        members = self._sets.get(key)
        if members is not None:
            return sorted(members)
        return ids_of(self.bits(key))
