// The WebAssembly SIMD (f64x2) matrix product, written as the bytes of a tiny module emitted here (no toolchain,
// no download, nothing to fetch at run time: the bundle carries this generator).
//
// One exported function covers all three products of the engine:
//   gemm(m4, n4, k, a, rs, ps, b, c):  C[m4×n4] = A'·B
// where A' element (i, p) is the f64 at byte a + 8·(i·rs + p·ps)  (NN: rs = k, ps = 1; TN: rs = 1, ps = m),
// B is k × n4 row-major at byte b (NT passes Bᵀ, transposed while copying in), and C is m4 × n4 at byte c.
// m4 and n4 are multiples of 4 and k ≥ 1; the caller pads and crops. C is walked in 4×4 tiles held in eight
// f64x2 registers; each k step loads two B vectors and splats four A values (11 live v128 values, under the 16
// XMM registers). Every element's sum runs over p in order from 0, so results equal the scalar loops bit for bit.

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, ch => ch.charCodeAt(0))];
}

// Instructions used (opcode numbers from the WebAssembly core and SIMD specifications).
const get = (l: number): number[] => [0x20, ...uleb(l)];
const set = (l: number): number[] => [0x21, ...uleb(l)];
const tee = (l: number): number[] => [0x22, ...uleb(l)];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const i32Add = [0x6a];
const i32Sub = [0x6b];
const i32Shl = [0x74];
const i32LtU = [0x49];
const loop = [0x03, 0x40]; // loop with empty block type
const end = [0x0b];
const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
const f64Load = (offset = 0): number[] => [0x2b, 3, ...uleb(offset)];
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const v128Load = (offset = 0): number[] => [...simd(0x00), 3, ...uleb(offset)];
const v128Store = (offset = 0): number[] => [...simd(0x0b), 3, ...uleb(offset)];
const v128Zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const f64x2Splat = simd(0x14);
const f64x2Add = simd(0xf0);
const f64x2Mul = simd(0xf2);

function gemmBody(): number[] {
  // params
  const m4 = 0, n4 = 1, k = 2, a = 3, rs = 4, ps = 5, b = 6, c = 7;
  // i32 locals
  const i = 8, j = 9, p = 10, rs8 = 11, rs16 = 12, rs24 = 13, ps8 = 14, ldb = 15, aRow = 16, ap = 17, bp = 18, cp = 19, cRow = 20;
  // v128 locals: accumulators acc[r][h] for tile row r, column pair h; then the two B vectors and the A splat
  const acc = [[21, 22], [23, 24], [25, 26], [27, 28]];
  const b0 = 29, b1 = 30, x = 31;
  const locals = [...uleb(2), ...uleb(13), I32, ...uleb(11), V128];

  const code: number[] = [
    ...get(rs), ...i32c(3), ...i32Shl, ...set(rs8),
    ...get(rs8), ...i32c(1), ...i32Shl, ...set(rs16),
    ...get(rs16), ...get(rs8), ...i32Add, ...set(rs24),
    ...get(ps), ...i32c(3), ...i32Shl, ...set(ps8),
    ...get(n4), ...i32c(3), ...i32Shl, ...set(ldb),
    ...i32c(0), ...set(i), ...get(a), ...set(aRow), ...get(c), ...set(cRow),
    ...loop, // rows of tiles
    ...i32c(0), ...set(j),
    ...loop, // columns of tiles
  ];
  for (const row of acc) for (const l of row) code.push(...v128Zero, ...set(l));
  code.push(
    ...get(aRow), ...set(ap),
    ...get(b), ...get(j), ...i32c(3), ...i32Shl, ...i32Add, ...set(bp),
    ...get(k), ...set(p),
    ...loop, // k steps
    ...get(bp), ...v128Load(0), ...set(b0),
    ...get(bp), ...v128Load(16), ...set(b1),
  );
  const rowOffsets = [null, rs8, rs16, rs24];
  acc.forEach((row, r) => {
    const offset = rowOffsets[r];
    code.push(...get(ap));
    if (offset !== null) code.push(...get(offset), ...i32Add);
    code.push(...f64Load(), ...f64x2Splat, ...set(x));
    // acc = acc + x·b (product first, then the add: the scalar loop's rounding)
    code.push(...get(row[0]), ...get(x), ...get(b0), ...f64x2Mul, ...f64x2Add, ...set(row[0]));
    code.push(...get(row[1]), ...get(x), ...get(b1), ...f64x2Mul, ...f64x2Add, ...set(row[1]));
  });
  code.push(
    ...get(ap), ...get(ps8), ...i32Add, ...set(ap),
    ...get(bp), ...get(ldb), ...i32Add, ...set(bp),
    ...get(p), ...i32c(1), ...i32Sub, ...tee(p), ...brIf(0),
    ...end, // k steps
    ...get(cRow), ...get(j), ...i32c(3), ...i32Shl, ...i32Add, ...set(cp),
  );
  acc.forEach((row, r) => {
    if (r > 0) code.push(...get(cp), ...get(ldb), ...i32Add, ...set(cp));
    code.push(...get(cp), ...get(row[0]), ...v128Store(0));
    code.push(...get(cp), ...get(row[1]), ...v128Store(16));
  });
  code.push(
    ...get(j), ...i32c(4), ...i32Add, ...tee(j), ...get(n4), ...i32LtU, ...brIf(0),
    ...end, // columns of tiles
    ...get(aRow), ...get(rs16), ...i32c(1), ...i32Shl, ...i32Add, ...set(aRow),
    ...get(cRow), ...get(ldb), ...i32c(2), ...i32Shl, ...i32Add, ...set(cRow),
    ...get(i), ...i32c(4), ...i32Add, ...tee(i), ...get(m4), ...i32LtU, ...brIf(0),
    ...end, // rows of tiles
    ...end, // function
  );
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: memory (exported, grown by the caller) and `gemm`. */
export function gemmModuleBytes(): Uint8Array {
  const funcType = [0x60, ...uleb(8), ...new Array<number>(8).fill(I32), ...uleb(0)];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(1), ...funcType]),
    ...section(3, [...uleb(1), ...uleb(0)]),
    ...section(5, [...uleb(1), 0x00, ...uleb(1)]),
    ...section(7, [...uleb(2), ...name('memory'), 0x02, ...uleb(0), ...name('gemm'), 0x00, ...uleb(0)]),
    ...section(10, [...uleb(1), ...gemmBody()]),
  ];
  return Uint8Array.from(bytes);
}
