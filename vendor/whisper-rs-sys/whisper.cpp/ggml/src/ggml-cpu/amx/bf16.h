#pragma once

// dictate: the encoder's matrix products on AMX BF16 tiles.
//
// ggml's own AMX kernels (mmq.cpp) take only quantised weights. Whisper's encoder multiplies
// f16 weights (and its attention's f16 keys and values) by f32 activations, 1,500 rows at a
// time, which llamafile's tinyBLAS does with AVX-512 FMAs. These products run instead on the
// tiles, each side split into two bf16 values (at least as exact as the f16 the other kernels
// use; see bf16.cpp), the sums kept in f32.
//
// Only products with at least 1,024 rows of activations take this path: the encoder's (1,500
// frames) and its cross-attention keys and values. The decoder's batches hold at most 448
// tokens, so its arithmetic is unchanged.

#include "ggml.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ggml_compute_params;

// Bytes of work buffer the product `dst` needs on this path; 0 where it does not apply.
size_t ggml_amx_bf16_work_size(const struct ggml_tensor * dst);

// Computes the product `dst` on the tiles and returns true, or returns false (having done
// nothing) where the path does not apply; every thread gets the same answer.
bool ggml_amx_bf16_mul_mat(const struct ggml_compute_params * params, struct ggml_tensor * dst);

#ifdef __cplusplus
}
#endif
