#!/usr/bin/env python3
"""Write train.py's adapters (OUT.bin.adapter.pt) as dictate's adapter file (src/asr/model/adapt.rs).

usage: export_adapter.py ADAPTER.pt BASE_MODEL.bin OUT.lora
"""
import hashlib, struct, sys
import numpy as np
import torch

ad = torch.load(sys.argv[1])
base = hashlib.sha256(open(sys.argv[2], "rb").read()).digest()
with open(sys.argv[3], "wb") as f:
    f.write(b"DICTLORA" + struct.pack("<I", 1) + base + struct.pack("<I", len(ad)))
    for name in sorted(ad):
        A, B, scale = ad[name]
        rank, cols = A.shape
        rows = B.shape[0]
        n = name.encode()
        f.write(struct.pack("<H", len(n)) + n + struct.pack("<IIIf", rows, cols, rank, scale))
        f.write(A.numpy().astype("<f2").tobytes())
        f.write(B.numpy().astype("<f2").tobytes())
