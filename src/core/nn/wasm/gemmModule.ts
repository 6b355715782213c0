// The WebAssembly SIMD (f64x2) matrix product, written as the bytes of a tiny module emitted here (no toolchain,
// no download, nothing to fetch at run time: the bundle carries this generator).
//
// One exported function covers all three products of the engine:
//   gemm(mt, nt, k, a, rs, ps, b, c, ld):  C[mt×nt] = A'·B
// where A' element (i, p) is the f64 at byte a + 8·(i·rs + p·ps)  (NN: rs = k, ps = 1; TN: rs = 1, ps = m),
// B is k × nt at byte b and C is mt × nt at byte c, both row-major with row stride `ld` elements (so the caller
// can hand over a column panel of a wider matrix, sized to stay in L2 cache). NT passes Bᵀ, transposed while
// copying in. mt and nt are multiples of the tile (TILE_ROWS × TILE_COLUMNS) and k ≥ 1; the caller pads and
// crops. Each k step loads the tile's B vectors once and broadcasts one A value per tile row
// (v128.load64_splat). Every element's sum runs over p in order from 0 with the product rounded before the add,
// so results equal the scalar loops bit for bit.

/** The tile the kernel computes: the caller pads m and n to multiples of these. */
export const TILE_ROWS = 4;
export const TILE_COLUMNS = 4;

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
const i32Mul = [0x6c];
const i32LtU = [0x49];
const loop = [0x03, 0x40]; // loop with empty block type
const end = [0x0b];
const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const v128Load = (offset = 0): number[] => [...simd(0x00), 3, ...uleb(offset)];
const v128Store = (offset = 0): number[] => [...simd(0x0b), 3, ...uleb(offset)];
const v128Load64Splat = (offset = 0): number[] => [...simd(0x0a), 3, ...uleb(offset)];
const v128Zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const f64x2Add = simd(0xf0);
const f64x2Mul = simd(0xf2);

/**
 * The kernel body for a tile of `rows` rows × 2·`vectors` columns (accumulators: rows·vectors f64x2 values, plus
 * `vectors` B vectors and one A splat live at once; x86-64 has 16 vector registers).
 */
function gemmBody(rows: number, vectors: number): number[] {
  // params
  const m4 = 0, n4 = 1, k = 2, a = 3, rs = 4, ps = 5, b = 6, c = 7, ld = 8;
  // i32 locals
  const i = 9, j = 10, p = 11, ps8 = 12, ldb = 13, aRow = 14, ap = 15, bp = 16, cp = 17, cRow = 18, rs8 = 19;
  const rowOffset: number[] = []; // locals holding r·rs·8 for r ≥ 1
  let nextLocal = 20;
  for (let r = 1; r < rows; r++) rowOffset[r] = nextLocal++;
  const i32Count = nextLocal - 9;
  // v128 locals
  const acc: number[][] = [];
  for (let r = 0; r < rows; r++) {
    acc.push([]);
    for (let v = 0; v < vectors; v++) acc[r].push(nextLocal++);
  }
  const bv: number[] = [];
  for (let v = 0; v < vectors; v++) bv.push(nextLocal++);
  const x = nextLocal++;
  const v128Count = nextLocal - 9 - i32Count;
  const locals = [...uleb(2), ...uleb(i32Count), I32, ...uleb(v128Count), V128];

  const code: number[] = [
    ...get(rs), ...i32c(3), ...i32Shl, ...set(rs8),
    ...get(ps), ...i32c(3), ...i32Shl, ...set(ps8),
    ...get(ld), ...i32c(3), ...i32Shl, ...set(ldb),
  ];
  for (let r = 1; r < rows; r++) code.push(...get(rs8), ...i32c(r), ...i32Mul, ...set(rowOffset[r]));
  code.push(
    ...i32c(0), ...set(i), ...get(a), ...set(aRow), ...get(c), ...set(cRow),
    ...loop, // rows of tiles
    ...i32c(0), ...set(j),
    ...loop, // columns of tiles
  );
  for (const row of acc) for (const l of row) code.push(...v128Zero, ...set(l));
  code.push(
    ...get(aRow), ...set(ap),
    ...get(b), ...get(j), ...i32c(3), ...i32Shl, ...i32Add, ...set(bp),
    ...get(k), ...set(p),
    ...loop, // k steps
  );
  bv.forEach((l, v) => code.push(...get(bp), ...v128Load(16 * v), ...set(l)));
  acc.forEach((row, r) => {
    code.push(...get(ap));
    if (r > 0) code.push(...get(rowOffset[r]), ...i32Add);
    code.push(...v128Load64Splat(), ...set(x));
    // acc = acc + x·b (product first, then the add: the scalar loop's rounding)
    row.forEach((l, v) => code.push(...get(l), ...get(x), ...get(bv[v]), ...f64x2Mul, ...f64x2Add, ...set(l)));
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
    row.forEach((l, v) => code.push(...get(cp), ...get(l), ...v128Store(16 * v)));
  });
  code.push(
    ...get(j), ...i32c(2 * vectors), ...i32Add, ...tee(j), ...get(n4), ...i32LtU, ...brIf(0),
    ...end, // columns of tiles
    ...get(aRow), ...get(rs8), ...i32c(rows), ...i32Mul, ...i32Add, ...set(aRow),
    ...get(cRow), ...get(ldb), ...i32c(rows), ...i32Mul, ...i32Add, ...set(cRow),
    ...get(i), ...i32c(rows), ...i32Add, ...tee(i), ...get(m4), ...i32LtU, ...brIf(0),
    ...end, // rows of tiles
    ...end, // function
  );
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: memory (exported, grown by the caller) and `gemm`. */
export function gemmModuleBytes(rows = TILE_ROWS, columns = TILE_COLUMNS): Uint8Array {
  const funcType = [0x60, ...uleb(9), ...new Array<number>(9).fill(I32), ...uleb(0)];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(1), ...funcType]),
    ...section(3, [...uleb(1), ...uleb(0)]),
    ...section(5, [...uleb(1), 0x00, ...uleb(1)]),
    ...section(7, [...uleb(2), ...name('memory'), 0x02, ...uleb(0), ...name('gemm'), 0x00, ...uleb(0)]),
    ...section(10, [...uleb(1), ...gemmBody(rows, columns / 2)]),
  ];
  return Uint8Array.from(bytes);
}
