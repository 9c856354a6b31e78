"""Read a whisper.cpp ggml model file into openai-whisper's torch model, and write one back with
some tensors replaced (the layout of ../shared/models/README.md)."""
import struct
import numpy as np
import torch
from whisper.model import ModelDimensions, Whisper

HPARAMS = ["n_vocab", "n_audio_ctx", "n_audio_state", "n_audio_head", "n_audio_layer",
           "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer", "n_mels"]


def read(path):
    """-> (dims dict, ftype, tensors: name -> (offset of data, dtype, shape torch-order), raw bytes)"""
    raw = open(path, "rb").read()
    pos = 0

    def i32():
        nonlocal pos
        v = struct.unpack_from("<i", raw, pos)[0]
        pos += 4
        return v

    assert i32() == 0x67676D6C, "not a ggml file"
    dims = {k: i32() for k in HPARAMS}
    ftype = i32()
    n_mel, n_fft = i32(), i32()
    pos += 4 * n_mel * n_fft
    n_tok = i32()
    for _ in range(n_tok):
        n = i32()
        pos += n
    tensors = {}
    while pos < len(raw):
        n_dims, name_len, tt = i32(), i32(), i32()
        shape = [i32() for _ in range(n_dims)][::-1]
        name = raw[pos:pos + name_len].decode()
        pos += name_len
        dtype = {0: np.float32, 1: np.float16}[tt]
        count = int(np.prod(shape))
        tensors[name] = (pos, dtype, shape)
        pos += count * np.dtype(dtype).itemsize
    return dims, ftype, tensors, raw


def load(path):
    dims, _, tensors, raw = read(path)
    model = Whisper(ModelDimensions(**dims))
    sd = model.state_dict()
    new = {}
    for name, (off, dtype, shape) in tensors.items():
        arr = np.frombuffer(raw, dtype=dtype, count=int(np.prod(shape)), offset=off).reshape(shape)
        t = torch.from_numpy(arr.astype(np.float32))
        want = sd[name].shape
        new[name] = t.reshape(want)
    missing = set(sd) - set(new)
    # alignment_heads is a buffer openai-whisper sets itself
    missing.discard("alignment_heads")
    assert not missing, missing
    if "alignment_heads" in sd:
        new["alignment_heads"] = sd["alignment_heads"]
    model.load_state_dict(new)
    return model


def write(src, dst, replace):
    """Copy src to dst with the tensors named in `replace` (name -> torch tensor) overwritten."""
    _, _, tensors, raw = read(src)
    buf = bytearray(raw)
    for name, t in replace.items():
        off, dtype, shape = tensors[name]
        arr = t.detach().cpu().numpy().astype(dtype).reshape(shape)
        b = arr.tobytes()
        assert len(b) == int(np.prod(shape)) * np.dtype(dtype).itemsize
        buf[off:off + len(b)] = b
    open(dst, "wb").write(bytes(buf))
