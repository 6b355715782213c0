// The WebAssembly SIMD (f64x2) matrix product. Its readable source is gemm.wat (what `gemm` computes, and why it
// equals the scalar loops bit for bit, is written there); wabt compiles it at build time into gemmBytes.ts, which
// the bundles carry: no toolchain, download or text compilation at run time.
import { GEMM_WASM_BYTES } from './gemmBytes';

/** The tile the kernel computes (gemm.wat's 4 rows × 2 f64x2 accumulators): the caller pads m and n to these. */
export const TILE_ROWS = 4;
export const TILE_COLUMNS = 4;

/** The module's bytes: memory (exported, grown by the caller) and `gemm`. */
export function gemmModuleBytes(): Uint8Array {
  return Uint8Array.from(GEMM_WASM_BYTES);
}
