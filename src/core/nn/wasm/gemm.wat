;; The WebAssembly SIMD (f64x2) matrix product behind src/core/nn/kernels.ts. Compiled at build time with wabt
;; (scripts/build-wasm.mjs writes the bytes to gemmBytes.ts, which the bundles embed: nothing is fetched or
;; compiled from text at run time).
;;
;; One exported function covers all three products of the engine:
;;   gemm(mt, nt, k, a, rs, ps, b, c, ld):  C[mt×nt] = A'·B
;; where A' element (i, p) is the f64 at byte a + 8·(i·rs + p·ps)  (NN: rs = k, ps = 1; TN: rs = 1, ps = m),
;; B is k × nt at byte b and C is mt × nt at byte c, both row-major with row stride `ld` elements (so the caller
;; can hand over a column panel of a wider matrix, sized to stay in L2 cache). NT passes Bᵀ, transposed while
;; copying in. mt and nt are multiples of the 4 × 4 tile (TILE_ROWS × TILE_COLUMNS in gemmModule.ts) and k ≥ 1;
;; the caller pads and crops.
;;
;; Each k step loads the tile's two B vectors once and broadcasts one A value per tile row (v128.load64_splat).
;; Every element's sum runs over p in order from 0 with the product rounded before the add, so results equal the
;; scalar loops bit for bit. Live at once: 8 accumulators, 2 B vectors and one A splat (x86-64 has 16 vector
;; registers). The caller's heap is 8-byte aligned, hence align=8 on the 16-byte loads and stores.
(module
  (memory (export "memory") 1)
  (func (export "gemm")
    (param $mt i32) (param $nt i32) (param $k i32) (param $a i32) (param $rs i32) (param $ps i32)
    (param $b i32) (param $c i32) (param $ld i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $ps8 i32)   ;; byte steps: ps·8, ld·8, rs·8
    (local $ldb i32)
    (local $aRow i32)  ;; A' at the tile's first row, k = 0
    (local $ap i32)    ;; A' at the tile's first row, step p
    (local $bp i32)    ;; B at row p, the tile's first column
    (local $cp i32)    ;; C at the tile row being stored
    (local $cRow i32)  ;; C at the tile's first row, column 0
    (local $rs8 i32)
    (local $row1 i32) (local $row2 i32) (local $row3 i32)  ;; byte offsets of tile rows 1..3 in A': r·rs·8
    ;; the 4 × 4 tile as 4 rows × 2 f64x2 accumulators, the two B vectors of step p, and A'(row, p) splatted
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)

    (local.set $rs8 (i32.shl (local.get $rs) (i32.const 3)))
    (local.set $ps8 (i32.shl (local.get $ps) (i32.const 3)))
    (local.set $ldb (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $row1 (i32.mul (local.get $rs8) (i32.const 1)))
    (local.set $row2 (i32.mul (local.get $rs8) (i32.const 2)))
    (local.set $row3 (i32.mul (local.get $rs8) (i32.const 3)))
    (local.set $i (i32.const 0))
    (local.set $aRow (local.get $a))
    (local.set $cRow (local.get $c))
    (loop $tileRows
      (local.set $j (i32.const 0))
      (loop $tileColumns
        (local.set $c00 (v128.const i64x2 0 0))
        (local.set $c01 (v128.const i64x2 0 0))
        (local.set $c10 (v128.const i64x2 0 0))
        (local.set $c11 (v128.const i64x2 0 0))
        (local.set $c20 (v128.const i64x2 0 0))
        (local.set $c21 (v128.const i64x2 0 0))
        (local.set $c30 (v128.const i64x2 0 0))
        (local.set $c31 (v128.const i64x2 0 0))
        (local.set $ap (local.get $aRow))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (local.get $k))
        (loop $kSteps
          (local.set $b0 (v128.load align=8 (local.get $bp)))
          (local.set $b1 (v128.load offset=16 align=8 (local.get $bp)))
          ;; c = c + x·b: the product first, then the add (the scalar loop's rounding)
          (local.set $x (v128.load64_splat (local.get $ap)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat (i32.add (local.get $ap) (local.get $row1))))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat (i32.add (local.get $ap) (local.get $row2))))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat (i32.add (local.get $ap) (local.get $row3))))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $ap (i32.add (local.get $ap) (local.get $ps8)))
          (local.set $bp (i32.add (local.get $bp) (local.get $ldb)))
          (br_if $kSteps (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
        ;; store the tile, row by row
        (local.set $cp (i32.add (local.get $cRow) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store align=8 (local.get $cp) (local.get $c00))
        (v128.store offset=16 align=8 (local.get $cp) (local.get $c01))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldb)))
        (v128.store align=8 (local.get $cp) (local.get $c10))
        (v128.store offset=16 align=8 (local.get $cp) (local.get $c11))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldb)))
        (v128.store align=8 (local.get $cp) (local.get $c20))
        (v128.store offset=16 align=8 (local.get $cp) (local.get $c21))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldb)))
        (v128.store align=8 (local.get $cp) (local.get $c30))
        (v128.store offset=16 align=8 (local.get $cp) (local.get $c31))
        (br_if $tileColumns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $nt))))
      (local.set $aRow (i32.add (local.get $aRow) (i32.mul (local.get $rs8) (i32.const 4))))
      (local.set $cRow (i32.add (local.get $cRow) (i32.mul (local.get $ldb) (i32.const 4))))
      (br_if $tileRows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $mt))))))
