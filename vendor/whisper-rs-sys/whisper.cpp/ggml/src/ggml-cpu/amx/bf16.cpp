// dictate: the encoder's matrix products on AMX BF16 tiles (see bf16.h).
//
// dst[m][n] = sum_k src0[n][k] * src1[m][k]. A tile product takes bf16 (8 significant bits),
// fewer than the f16 weights hold (11) and than the f16 the other kernels round activations to;
// one product alone moved words on the project's evaluation sets. So each side is written as two
// bf16 values, the rounded value and its rounding error, and three products are summed in f32:
// values x values, values x errors of src0, errors of src1 x values. That keeps every bit of the
// f16 weights and 16 of each activation (the errors' product, 2^-16 of the whole, is left out).
//
// src0 (f16, N rows) goes into two planes in the work buffer, laid out as the tiles' B side wants
// (pairs of k interleaved across 16 columns), the threads sharing the work. Then each thread takes
// whole blocks of 32 rows of src1 (f32 activations, the A side): converts them into two planes of
// its own, padded with zeros to whole tiles, and computes their 32 x 32 results against every
// column block in four accumulator tiles. Setting DICTATE_NO_AMX_BF16 (to
// anything) turns the path off.
//
// The kernel is compiled for AVX-512 BF16 and AMX whatever the build's own flags (the functions
// marked KERNEL carry them as target attributes) and runs only where the CPU has those features
// (CPUID, at the first product) and Linux grants the tiles: a build for a baseline CPU (the
// portable build, vendor/README.md) keeps it, and such a binary still starts on a CPU without
// AVX-512. Nothing outside the KERNEL functions uses those instructions.

#include "bf16.h"

#include "ggml-cpu.h"

#include "ggml-cpu-impl.h"
#include "ggml-impl.h"

#if defined(__x86_64__) && defined(__linux__) && (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 11))

#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

// The instructions the kernel's functions may use, whatever the rest of the build targets.
#define KERNEL __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16,amx-tile,amx-bf16")))

namespace {

// Rows of activations below which the product stays with the other kernels (see bf16.h).
constexpr int64_t MIN_ROWS = 1024;

// One tile: 16 rows of 64 bytes (16 f32, or 32 bf16).
constexpr int64_t TILE = 16;
constexpr int64_t TILE_K = 32;
constexpr int64_t BLOCK = 2 * TILE;

// Products computed on the tiles in this process.
std::atomic<int64_t> products{0};

struct tile_config {
    uint8_t palette_id;
    uint8_t start_row;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
};

// The CPU has the kernel's instructions (and the system keeps their registers), the kernel is
// allowed to use the tiles (Linux asks each process to request them), and it was not turned off.
bool ready() {
    static const bool ok = [] {
        if (std::getenv("DICTATE_NO_AMX_BF16") != nullptr) {
            return false;
        }
        __builtin_cpu_init();
        if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") ||
            !__builtin_cpu_supports("avx512vl") || !__builtin_cpu_supports("avx512bf16") ||
            !__builtin_cpu_supports("amx-tile") || !__builtin_cpu_supports("amx-bf16")) {
            return false;
        }
        // ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA
        return syscall(SYS_arch_prctl, 0x1023, 18) == 0;
    }();
    return ok;
}

struct shape {
    int64_t k, kp, n, m, mp, batches0, batches1;
    size_t b_bytes;
};

bool applies(const ggml_tensor * dst, shape * s) {
    const ggml_tensor * src0 = dst->src[0];
    const ggml_tensor * src1 = dst->src[1];
    if (src0 == nullptr || src1 == nullptr || src0->type != GGML_TYPE_F16 ||
        src1->type != GGML_TYPE_F32 || dst->type != GGML_TYPE_F32) {
        return false;
    }
    if (src1->ne[1] < MIN_ROWS || src0->ne[1] % BLOCK != 0 ||
        src0->nb[0] != sizeof(ggml_fp16_t) || src1->nb[0] != sizeof(float) ||
        dst->nb[0] != sizeof(float) || src1->ne[2] % src0->ne[2] != 0 ||
        src1->ne[3] % src0->ne[3] != 0) {
        return false;
    }
    if (!ready()) {
        return false;
    }
    s->k = src0->ne[0];
    s->kp = GGML_PAD(s->k, TILE_K);
    s->n = src0->ne[1];
    s->m = src1->ne[1];
    s->mp = GGML_PAD(s->m, BLOCK);
    s->batches0 = src0->ne[2] * src0->ne[3];
    s->batches1 = src1->ne[2] * src1->ne[3];
    // two planes: the values in bf16, then what that rounding left out
    s->b_bytes = 2 * (size_t) (s->batches0 * s->n * s->kp) * sizeof(uint16_t);
    return true;
}

// 16 floats as bf16 (to nearest, ties to even), and what that rounding left out, as bf16.
KERNEL inline void to_bf16(__m512 v, uint16_t * hi, uint16_t * lo) {
    const __m256i h = (__m256i) _mm512_cvtneps_pbh(v);
    _mm256_storeu_si256((__m256i *) hi, h);
    const __m512 back = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    _mm256_storeu_si256((__m256i *) lo, (__m256i) _mm512_cvtneps_pbh(_mm512_sub_ps(v, back)));
}

KERNEL inline __mmask16 first(int64_t n) {
    return n >= 16 ? (__mmask16) 0xFFFF : n <= 0 ? (__mmask16) 0 : (__mmask16) ((1u << n) - 1);
}

// A row of `k` floats as bf16 (and its rounding errors into `lo`), zeros after them up to `kp`.
KERNEL void row_to_bf16(const float * x, int64_t k, int64_t kp, uint16_t * hi, uint16_t * lo) {
    for (int64_t i = 0; i < kp; i += 16) {
        const __m512 v = _mm512_maskz_loadu_ps(first(k - i), x + i);
        to_bf16(v, hi + i, lo + i);
    }
}

// One block of 16 rows of src0 (`rows`, `stride` bytes apart) as the B side: for each chunk of
// 32 k, 16 rows of pairs (k, k+1) across the 16 columns; `lo` likewise for the rounding errors.
KERNEL void pack_b(const char * rows, size_t stride, int64_t k, int64_t kp, uint32_t * hi, uint32_t * lo) {
    alignas(64) uint16_t chunk_hi[TILE][TILE_K];
    alignas(64) uint16_t chunk_lo[TILE][TILE_K];
    for (int64_t k0 = 0; k0 < kp; k0 += TILE_K) {
        for (int64_t c = 0; c < TILE; c++) {
            const ggml_fp16_t * x = (const ggml_fp16_t *) (rows + c * stride) + k0;
            for (int64_t h = 0; h < TILE_K; h += 16) {
                const __m512 v = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(first(k - k0 - h), x + h));
                to_bf16(v, &chunk_hi[c][h], &chunk_lo[c][h]);
            }
        }
        const size_t at = (size_t) (k0 / TILE_K) * TILE * TILE;
        for (int64_t p = 0; p < TILE; p++) {
            for (int64_t c = 0; c < TILE; c++) {
                uint32_t pair;
                memcpy(&pair, &chunk_hi[c][2 * p], sizeof(pair));
                hi[at + p * TILE + c] = pair;
                memcpy(&pair, &chunk_lo[c][2 * p], sizeof(pair));
                lo[at + p * TILE + c] = pair;
            }
        }
    }
}

// The product on the tiles (ggml_amx_bf16_mul_mat has checked that it applies). Never inlined,
// so no instruction of it runs before that check.
KERNEL __attribute__((noinline)) void mul_mat(const ggml_compute_params * params, ggml_tensor * dst,
                                              const shape & s) {
    const ggml_tensor * src0 = dst->src[0];
    const ggml_tensor * src1 = dst->src[1];
    const int ith = params->ith;
    const int nth = params->nth;

    // The B side, shared: each block of 16 rows of src0, the values' plane then the errors'.
    uint16_t * b = (uint16_t *) GGML_PAD((uintptr_t) params->wdata, 64);
    const size_t b_plane = (size_t) (s.batches0 * s.n * s.kp);
    const int64_t ne02 = src0->ne[2];
    const int64_t blocks_b = s.n / TILE;
    for (int64_t j = ith; j < s.batches0 * blocks_b; j += nth) {
        const int64_t bat = j / blocks_b;
        const int64_t blk = j % blocks_b;
        const char * rows = (const char *) src0->data + (bat % ne02) * src0->nb[2] +
                            (bat / ne02) * src0->nb[3] + blk * TILE * src0->nb[1];
        pack_b(rows, src0->nb[1], s.k, s.kp, (uint32_t *) (b + j * TILE * s.kp),
               (uint32_t *) (b + b_plane + j * TILE * s.kp));
    }
    ggml_barrier(params->threadpool);

    // The A side, each thread its own: 32 rows of src1 at a time (both planes), converted once
    // and used against every column block while they are in cache.
    static thread_local std::vector<uint16_t> a_rows;
    const size_t a_plane = (size_t) (BLOCK * s.kp);
    if (a_rows.size() < 2 * a_plane) {
        a_rows.resize(2 * a_plane);
    }
    uint16_t * a = a_rows.data();

    // Whatever tile set-up this thread had (ggml's int8 kernels keep theirs) is put back after.
    alignas(64) tile_config saved;
    _tile_storeconfig(&saved);
    alignas(64) tile_config tc;
    memset(&tc, 0, sizeof(tc));
    tc.palette_id = 1;
    for (int t = 0; t < 8; t++) {
        tc.rows[t] = TILE;
        tc.colsb[t] = 64;
    }
    _tile_loadconfig(&tc);

    const int64_t ne12 = src1->ne[2];
    const int64_t r2 = ne12 / ne02;
    const int64_t r3 = src1->ne[3] / src0->ne[3];
    const int64_t blocks_m = s.mp / BLOCK;
    const int64_t blocks_n = s.n / BLOCK;
    const int64_t total = s.batches1 * blocks_m;
    const int64_t first_row = total * ith / nth;
    const int64_t last_row = total * (ith + 1) / nth;
    const size_t a_stride = (size_t) s.kp * sizeof(uint16_t);
    const size_t b_block = (size_t) (TILE * s.kp); // bf16 values per 16 columns
    alignas(64) float spill[TILE * TILE];

    for (int64_t t = first_row; t < last_row; t++) {
        const int64_t bat1 = t / blocks_m;
        const int64_t m0 = (t % blocks_m) * BLOCK;
        const int64_t i12 = bat1 % ne12;
        const int64_t i13 = bat1 / ne12;
        const int64_t bat0 = (i13 / r3) * ne02 + i12 / r2;

        for (int64_t r = 0; r < BLOCK; r++) {
            if (m0 + r < s.m) {
                const char * x = (const char *) src1->data + i12 * src1->nb[2] + i13 * src1->nb[3] +
                                 (m0 + r) * src1->nb[1];
                row_to_bf16((const float *) x, s.k, s.kp, a + r * s.kp, a + a_plane + r * s.kp);
            } else {
                memset(a + r * s.kp, 0, a_stride);
                memset(a + a_plane + r * s.kp, 0, a_stride);
            }
        }
        const uint16_t * a0 = a;
        const uint16_t * a1 = a + TILE * s.kp;
        char * out = (char *) dst->data + i12 * dst->nb[2] + i13 * dst->nb[3];
        const size_t ld = dst->nb[1];
        auto at = [&](int64_t m, int64_t n) { return out + m * ld + n * sizeof(float); };

        for (int64_t bn = 0; bn < blocks_n; bn++) {
            const int64_t n0 = bn * BLOCK;
            const uint16_t * b0 = b + bat0 * s.n * s.kp + (n0 / TILE) * b_block;
            const uint16_t * b1 = b0 + b_block;

            _tile_zero(0);
            _tile_zero(1);
            _tile_zero(2);
            _tile_zero(3);
            // Per 32 k: the values' products, then values x errors of src0, then errors of src1
            // x values (the errors' product, 2^-16 of the whole, is left out).
            for (int64_t kk = 0; kk < s.kp / TILE_K; kk++) {
                _tile_loadd(4, a0 + kk * TILE_K, a_stride);
                _tile_loadd(5, a1 + kk * TILE_K, a_stride);
                _tile_loadd(6, b0 + kk * TILE * TILE_K, 64);
                _tile_loadd(7, b1 + kk * TILE * TILE_K, 64);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
                _tile_dpbf16ps(2, 5, 6);
                _tile_dpbf16ps(3, 5, 7);
                _tile_loadd(6, b0 + b_plane + kk * TILE * TILE_K, 64);
                _tile_loadd(7, b1 + b_plane + kk * TILE * TILE_K, 64);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
                _tile_dpbf16ps(2, 5, 6);
                _tile_dpbf16ps(3, 5, 7);
                _tile_loadd(4, a0 + a_plane + kk * TILE_K, a_stride);
                _tile_loadd(5, a1 + a_plane + kk * TILE_K, a_stride);
                _tile_loadd(6, b0 + kk * TILE * TILE_K, 64);
                _tile_loadd(7, b1 + kk * TILE * TILE_K, 64);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
                _tile_dpbf16ps(2, 5, 6);
                _tile_dpbf16ps(3, 5, 7);
            }

            if (m0 + BLOCK <= s.m) {
                _tile_stored(0, at(m0, n0), ld);
                _tile_stored(1, at(m0, n0 + TILE), ld);
                _tile_stored(2, at(m0 + TILE, n0), ld);
                _tile_stored(3, at(m0 + TILE, n0 + TILE), ld);
            } else {
                // The last rows: only those that exist are written.
                auto spill_rows = [&](int64_t mt, int64_t nt) {
                    for (int64_t r = 0; r < TILE && mt + r < s.m; r++) {
                        memcpy(at(mt + r, nt), spill + r * TILE, TILE * sizeof(float));
                    }
                };
                _tile_stored(0, spill, 64);
                spill_rows(m0, n0);
                _tile_stored(1, spill, 64);
                spill_rows(m0, n0 + TILE);
                _tile_stored(2, spill, 64);
                spill_rows(m0 + TILE, n0);
                _tile_stored(3, spill, 64);
                spill_rows(m0 + TILE, n0 + TILE);
            }
        }
    }

    if (ith == 0) {
        products.fetch_add(1, std::memory_order_relaxed);
    }
    if (saved.palette_id != 0) {
        _tile_loadconfig(&saved);
    } else {
        _tile_release();
    }
}

} // namespace

extern "C" int ggml_cpu_has_amx_bf16(void) {
    return ready() ? 1 : 0;
}

extern "C" int64_t ggml_cpu_amx_bf16_products(void) {
    return products.load(std::memory_order_relaxed);
}

extern "C" size_t ggml_amx_bf16_work_size(const struct ggml_tensor * dst) {
    shape s;
    if (dst->op != GGML_OP_MUL_MAT || !applies(dst, &s)) {
        return 0;
    }
    return s.b_bytes + 64;
}

extern "C" bool ggml_amx_bf16_mul_mat(const struct ggml_compute_params * params, struct ggml_tensor * dst) {
    shape s;
    if (!applies(dst, &s) || params->wsize < s.b_bytes + 64) {
        return false;
    }
    mul_mat(params, dst, s);
    return true;
}

#else

extern "C" int ggml_cpu_has_amx_bf16(void) {
    return 0;
}

extern "C" int64_t ggml_cpu_amx_bf16_products(void) {
    return 0;
}

extern "C" size_t ggml_amx_bf16_work_size(const struct ggml_tensor * dst) {
    (void) dst;
    return 0;
}

extern "C" bool ggml_amx_bf16_mul_mat(const struct ggml_compute_params * params, struct ggml_tensor * dst) {
    (void) params;
    (void) dst;
    return false;
}

#endif
