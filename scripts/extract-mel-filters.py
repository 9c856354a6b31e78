#!/usr/bin/env python3
"""Extract Whisper's mel filter banks from the openai-whisper source package into raw f32 files.

usage: extract-mel-filters.py OPENAI_WHISPER_SDIST.tar.gz OUT_DIR

The importer (`dictate model import`) embeds models/assets/mel_80.f32 and mel_128.f32: the arrays
mel_80 (80 x 201) and mel_128 (128 x 201) of whisper/assets/mel_filters.npz, little-endian f32,
row-major. Get the package with
  pip download --no-deps openai-whisper==20250625   (sha256 37a91a39...32eb96)
Needs only the Python standard library.
"""
import ast, io, sys, tarfile, zipfile

sdist, out = sys.argv[1], sys.argv[2]
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("whisper/assets/mel_filters.npz"))
    npz = zipfile.ZipFile(io.BytesIO(tar.extractfile(member).read()))
for name in ("mel_80", "mel_128"):
    raw = npz.read(name + ".npy")
    assert raw[:6] == b"\x93NUMPY"
    header_len = int.from_bytes(raw[8:10], "little")
    header = ast.literal_eval(raw[10:10 + header_len].decode("latin1"))
    assert header["descr"] == "<f4" and not header["fortran_order"], header
    data = raw[10 + header_len:]
    rows, cols = header["shape"]
    assert len(data) == rows * cols * 4
    with open(f"{out}/{name}.f32", "wb") as f:
        f.write(data)
    print(f"{out}/{name}.f32", header["shape"])
