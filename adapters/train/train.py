#!/usr/bin/env python3
"""Adapt tiny.en's decoder to clinical dictation with low-rank adapters (LoRA), the encoder frozen.

usage: train.py MODEL.bin FEATURES.pt[,MORE.pt] OUT.bin [--steps N] [--rank R] [--lr LR] [--batch B]
Each clip is taught as whisper.cpp's first pass decodes it (timestamps on: <|sot|> <|0.00|> text
<|end|>). The loss: cross-entropy on the tokens of the lexicon terms only, plus (weight --kl) the
divergence from tiny.en's own next-token distribution at every other text token, so that the
adapters learn how terms are spelled without changing how the rest of a dictation is written
(the snippets' own wording and punctuation are not taught). Writes OUT.bin: MODEL.bin with the adapters merged into its decoder weights (same layout and size),
and OUT.bin.adapter.pt (the adapters alone).
"""
import argparse, math, random, re, time
import torch, torch.nn as nn, torch.nn.functional as F
import whisper
import ggml_io

p = argparse.ArgumentParser()
p.add_argument("model"); p.add_argument("features"); p.add_argument("out")
p.add_argument("--steps", type=int, default=600); p.add_argument("--rank", type=int, default=16)
p.add_argument("--lr", type=float, default=1e-3); p.add_argument("--batch", type=int, default=8)
p.add_argument("--targets", default="attn,cross_attn,mlp")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--kl", type=float, default=1.0, help="weight of the pull towards tiny.en on words that are not terms")
a = p.parse_args()
torch.manual_seed(a.seed)
random.seed(a.seed)


class LoRA(nn.Module):
    def __init__(self, base, rank, alpha):
        super().__init__()
        self.base = base
        for q in base.parameters():
            q.requires_grad_(False)
        self.A = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
        self.B = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank

    on = True

    def forward(self, x):
        if not LoRA.on:
            return self.base(x)
        return self.base(x) + (x @ self.A.t() @ self.B.t()) * self.scale

    def merged(self):
        return self.base.weight + (self.B @ self.A) * self.scale


model = ggml_io.load(a.model)
for q in model.parameters():
    q.requires_grad_(False)
adapters = {}
want = set(a.targets.split(","))
for j, block in enumerate(model.decoder.blocks):
    for part in ("attn", "cross_attn"):
        if part not in want:
            continue
        att = getattr(block, part)
        for lin in ("query", "key", "value", "out"):
            l = LoRA(getattr(att, lin), a.rank, 2 * a.rank)
            setattr(att, lin, l)
            adapters[f"decoder.blocks.{j}.{part}.{lin}.weight"] = l
    if "mlp" in want:
        for k in (0, 2):
            l = LoRA(block.mlp[k], a.rank, 2 * a.rank)
            block.mlp[k] = l
            adapters[f"decoder.blocks.{j}.mlp.{k}.weight"] = l
params = [q for l in adapters.values() for q in (l.A, l.B)]
print(f"{len(adapters)} adapted matrices, {sum(q.numel() for q in params):,} trainable parameters")

tok = whisper.tokenizer.get_tokenizer(False)
SOT = tok.sot
TS0 = tok.timestamp_begin  # <|0.00|>
data = [torch.load(f) for f in a.features.split(",")]
feats = torch.cat([d["features"] for d in data])
targets = [t for d in data for t in d["targets"]]
seconds = [s for d in data for s in d["seconds"]]
terms_all = [t for d in data for t in d["terms"]]


def marked_tokens(target, terms):
    # character spans of the terms, in order of appearance
    spans, start = [], 0
    for term in terms:
        m = re.search(r"(?i)(?<![A-Za-z])" + re.escape(term) + r"(?![A-Za-z])", target[start:])
        if m:
            spans.append((start + m.start(), start + m.end()))
            start += m.end()
    toks, marks = [], []
    for w in re.finditer(r"\S+", target):
        piece = tok.encode(" " + w.group())
        inside = any(a <= w.start() and w.end() <= b for a, b in spans)
        toks += piece
        marks += [inside] * len(piece)
    return toks, marks


seqs = []
for t, s, terms in zip(targets, seconds, terms_all):
    text, marks = marked_tokens(t, terms)
    end = TS0 + min(1500, round(s / 0.02))
    seqs.append(([SOT, TS0], text, [end, tok.eot], marks))
n = len(seqs)
print(f"{n} clips")

opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=0.0)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 30) * max(0.05, 1 - s / a.steps))
order = list(range(n))
random.shuffle(order)
cursor = 0
t0 = time.time()
model.train()
for step in range(a.steps):
    idx = []
    for _ in range(a.batch):
        if cursor == n:
            random.shuffle(order)
            cursor = 0
        idx.append(order[cursor]); cursor += 1
    rows = [seqs[i][0] + seqs[i][1] + seqs[i][2] for i in idx]
    L = max(len(r) for r in rows)
    is_term = torch.zeros((len(rows), L), dtype=torch.bool)
    x = torch.full((len(rows), L), tok.eot, dtype=torch.long)
    y = torch.full((len(rows), L), -100, dtype=torch.long)
    for b, i in enumerate(idx):
        pre, text, post, marks = seqs[i]
        r = pre + text + post
        x[b, :len(r)] = torch.tensor(r)
        # predict each text token from what precedes it (the loss on text only)
        for k in range(len(pre) - 1, len(pre) + len(text) - 1):
            y[b, k] = r[k + 1]
            is_term[b, k] = marks[k + 1 - len(pre)]
    xa = feats[idx].float()
    logits = model.decoder(x, xa)
    V = logits.shape[-1]
    text_pos = y != -100
    term_pos = text_pos & is_term
    other_pos = text_pos & ~is_term
    ce = F.cross_entropy(logits[term_pos], y[term_pos]) if term_pos.any() else logits.sum() * 0
    with torch.no_grad():
        LoRA.on = False
        base_logits = model.decoder(x, xa)
        LoRA.on = True
    kl = F.kl_div(F.log_softmax(logits[other_pos], -1), F.log_softmax(base_logits[other_pos], -1),
                  log_target=True, reduction="batchmean")
    loss = ce + a.kl * kl
    opt.zero_grad()
    loss.backward()
    opt.step(); sched.step()
    if step % 20 == 0 or step == a.steps - 1:
        print(f"step {step} loss {loss.item():.4f} terms {ce.item():.4f} kl {kl.item():.4f} {time.time() - t0:.0f}s", flush=True)

replace = {name: l.merged() for name, l in adapters.items()}
ggml_io.write(a.model, a.out, replace)
torch.save({name: (l.A.detach(), l.B.detach(), l.scale) for name, l in adapters.items()}, a.out + ".adapter.pt")
print("wrote", a.out)
