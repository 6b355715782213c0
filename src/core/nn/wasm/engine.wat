;; The resident engine's WebAssembly SIMD (f64x2) kernels, behind src/core/nn/arena.ts. Unlike gemm.wat (whose
;; operands are copied into its own memory for each product), this module imports the memory the network's
;; weights, gradients, activations and optimizer state live in (one shared WebAssembly.Memory per network, see
;; arena.ts), so every call works in place on those arrays: no copy in, no copy out. Compiled at build time with
;; wabt (scripts/build-wasm.mjs writes engineBytes.ts).
;;
;; Bit-identity with the scalar JS code (src/core/nn/kernels.ts, activations.ts, optimizers.ts) is the rule:
;; - every f64x2 lane does exactly the IEEE operations the scalar loop does on that element, in the same order,
;;   with no fused multiply-add;
;; - a sum over elements that the scalar code runs in order (Σ g², Σ Δθ²) is kept scalar: the two lanes of a vector
;;   product are added to the running sum one after the other, lane 0 then lane 1;
;; - a sum per element over rows or over k (the matrix products, the bias gradient) runs in order from the first
;;   row / p = 0, one vector holding two independent elements.
;; Lengths passed to the element-wise functions are even (the caller finishes an odd tail in JS, in order).
;; All addresses are byte offsets; the arena aligns arrays to 64 bytes, but loads say align=8 (a view may start anywhere).
(module
  (import "env" "memory" (memory 1 32768 shared))

  ;; C[mt×nt] (+)= A'·B, as gemm.wat's gemm (see there for the tile and why it equals the scalar loops), with B
  ;; and C both of row stride `ld` elements and `acc` ≠ 0 adding the finished sums into C (C + Σ, the scalar
  ;; code's `c[o] += c00`). mt and nt are multiples of 4; the caller computes the leftover rows and columns.
  (func (export "gemm")
    (param $mt i32) (param $nt i32) (param $k i32) (param $a i32) (param $rs i32) (param $ps i32)
    (param $b i32) (param $c i32) (param $ld i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $ps8 i32) (local $ldb i32) (local $aRow i32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local $cRow i32) (local $rs8 i32) (local $row1 i32) (local $row2 i32) (local $row3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $rs8 (i32.shl (local.get $rs) (i32.const 3)))
    (local.set $ps8 (i32.shl (local.get $ps) (i32.const 3)))
    (local.set $ldb (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $row1 (local.get $rs8))
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
        (local.set $cp (i32.add (local.get $cRow) (i32.shl (local.get $j) (i32.const 3))))
        (if (local.get $acc)
          (then
            (local.set $c00 (f64x2.add (v128.load align=8 (local.get $cp)) (local.get $c00)))
            (local.set $c01 (f64x2.add (v128.load offset=16 align=8 (local.get $cp)) (local.get $c01)))
            (local.set $c10 (f64x2.add (v128.load align=8 (i32.add (local.get $cp) (local.get $ldb))) (local.get $c10)))
            (local.set $c11 (f64x2.add (v128.load offset=16 align=8 (i32.add (local.get $cp) (local.get $ldb))) (local.get $c11)))
            (local.set $c20 (f64x2.add (v128.load align=8 (i32.add (local.get $cp) (i32.mul (local.get $ldb) (i32.const 2)))) (local.get $c20)))
            (local.set $c21 (f64x2.add (v128.load offset=16 align=8 (i32.add (local.get $cp) (i32.mul (local.get $ldb) (i32.const 2)))) (local.get $c21)))
            (local.set $c30 (f64x2.add (v128.load align=8 (i32.add (local.get $cp) (i32.mul (local.get $ldb) (i32.const 3)))) (local.get $c30)))
            (local.set $c31 (f64x2.add (v128.load offset=16 align=8 (i32.add (local.get $cp) (i32.mul (local.get $ldb) (i32.const 3)))) (local.get $c31)))))
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
      (br_if $tileRows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $mt)))))

  ;; dst[c·ld + r] = src[r·cols + c] for an even number of rows: Wᵀ for the forward product (z = x·Wᵀ runs as
  ;; an NN product over Wᵀ). Two source rows at a time, so each store writes the pair (r, r + 1) of a column as one
  ;; 16-byte vector. (An odd last row is copied by the caller.)
  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32) (param $ld i32)
    (local $r i32) (local $c i32) (local $from i32) (local $to i32) (local $ld8 i32) (local $cols8 i32)
    (local.set $ld8 (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $cols8 (i32.shl (local.get $cols) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (i32.mul (local.get $rows) (local.get $cols))))
      (loop $eachRowPair
        (local.set $from (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $cols8))))
        (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $c (local.get $cols))
        (loop $eachColumn
          (v128.store align=8 (local.get $to)
            (v128.load64_lane align=8 1 (i32.add (local.get $from) (local.get $cols8)) (v128.load64_zero align=8 (local.get $from))))
          (local.set $from (i32.add (local.get $from) (i32.const 8)))
          (local.set $to (i32.add (local.get $to) (local.get $ld8)))
          (br_if $eachColumn (local.tee $c (i32.sub (local.get $c) (i32.const 1)))))
        (br_if $eachRowPair (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 2))) (local.get $rows))))))

  ;; z[i·w + j] += b[j] for n rows of an even width w.
  (func (export "biasAdd") (param $z i32) (param $b i32) (param $n i32) (param $w i32)
    (local $j i32) (local $end i32)
    (local.set $end (i32.add (local.get $z) (i32.shl (i32.mul (local.get $n) (local.get $w)) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
      (loop $eachPair
        (v128.store align=8 (local.get $z)
          (f64x2.add (v128.load align=8 (local.get $z)) (v128.load align=8 (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (if (i32.ge_u (local.get $j) (local.get $w)) (then (local.set $j (i32.const 0))))
        (br_if $eachPair (i32.lt_u (local.tee $z (i32.add (local.get $z) (i32.const 16))) (local.get $end))))))

  ;; db[j] = Σ over rows i (in order, from 0) of g[i·w + j], for an even width w and n ≥ 1 rows.
  (func (export "columnSums") (param $g i32) (param $n i32) (param $w i32) (param $db i32)
    (local $j i32) (local $r i32) (local $at i32) (local $s v128) (local $w8 i32)
    (local.set $w8 (i32.shl (local.get $w) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $w)))
      (loop $eachPair
        (local.set $s (v128.const i64x2 0 0))
        (local.set $at (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $r (local.get $n))
        (loop $eachRow
          (local.set $s (f64x2.add (local.get $s) (v128.load align=8 (local.get $at))))
          (local.set $at (i32.add (local.get $at) (local.get $w8)))
          (br_if $eachRow (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
        (v128.store align=8 (i32.add (local.get $db) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
        (br_if $eachPair (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 2))) (local.get $w))))))

  ;; s + Σ v[i]² over an even length, in order (lane 0 then lane 1 of each pair): s carries a running sum over
  ;; several arrays (the global gradient norm).
  (func (export "sumSquares") (param $v i32) (param $len i32) (param $s f64) (result f64)
    (local $end i32) (local $sq v128)
    (local.set $end (i32.add (local.get $v) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $v) (local.get $end)))
      (loop $eachPair
        (local.set $sq (v128.load align=8 (local.get $v)))
        (local.set $sq (f64x2.mul (local.get $sq) (local.get $sq)))
        (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $sq))))
        (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 1 (local.get $sq))))
        (br_if $eachPair (i32.lt_u (local.tee $v (i32.add (local.get $v) (i32.const 16))) (local.get $end)))))
    (local.get $s))

  ;; a = z > 0 ? z : 0 (NaN and −0 give +0, as the scalar code): the comparison's mask selects z's bits.
  (func (export "reluForward") (param $z i32) (param $a i32) (param $len i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $z) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
      (loop $eachPair
        (local.set $x (v128.load align=8 (local.get $z)))
        (v128.store align=8 (local.get $a) (v128.and (local.get $x) (f64x2.gt (local.get $x) (v128.const i64x2 0 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br_if $eachPair (i32.lt_u (local.tee $z (i32.add (local.get $z) (i32.const 16))) (local.get $end))))))

  ;; a = tanh z over an even length, the bits of tanhKernel.ts (see there): e = 2^k·p + (2^k − 1) with 2|z| = k·ln 2 + r
  ;; and p = expm1 r (Taylor to r^14, Estrin's scheme), a = e / (e + 2); |z| ≥ 19.1 gives ±1.
  (func (export "tanhForward") (param $z i32) (param $a i32) (param $len i32)
    (local $end i32) (local $x v128) (local $ax v128) (local $y v128) (local $k v128) (local $r v128) (local $r2 v128)
    (local $r4 v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $d0 v128) (local $d1 v128) (local $p v128) (local $s v128)
    (local $e v128) (local $t v128)
    (local.set $end (i32.add (local.get $z) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
      (loop $eachPair
        (local.set $x (v128.load align=8 (local.get $z)))
        (local.set $ax (f64x2.abs (local.get $x)))
        (local.set $y (f64x2.add (local.get $ax) (local.get $ax)))
        (local.set $k (f64x2.floor (f64x2.add (f64x2.mul (local.get $y) (f64x2.splat (f64.const 1.4426950408889634))) (f64x2.splat (f64.const 0.5)))))
        (local.set $r (f64x2.sub (f64x2.sub (local.get $y) (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0.6931471803691238)))) (f64x2.mul (local.get $k) (f64x2.splat (f64.const 1.9082149292705877e-10)))))
        (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
        (local.set $a0 (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (f64x2.splat (f64.const 0.16666666666666666)) (local.get $r))))
        (local.set $a1 (f64x2.add (f64x2.splat (f64.const 0.041666666666666664)) (f64x2.mul (f64x2.splat (f64.const 0.008333333333333333)) (local.get $r))))
        (local.set $a2 (f64x2.add (f64x2.splat (f64.const 0.001388888888888889)) (f64x2.mul (f64x2.splat (f64.const 0.0001984126984126984)) (local.get $r))))
        (local.set $a3 (f64x2.add (f64x2.splat (f64.const 2.48015873015873e-05)) (f64x2.mul (f64x2.splat (f64.const 2.7557319223985893e-06)) (local.get $r))))
        (local.set $a4 (f64x2.add (f64x2.splat (f64.const 2.755731922398589e-07)) (f64x2.mul (f64x2.splat (f64.const 2.505210838544172e-08)) (local.get $r))))
        (local.set $a5 (f64x2.add (f64x2.splat (f64.const 2.08767569878681e-09)) (f64x2.mul (f64x2.splat (f64.const 1.6059043836821613e-10)) (local.get $r))))
        (local.set $b0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $a1) (local.get $r2))))
        (local.set $b1 (f64x2.add (local.get $a2) (f64x2.mul (local.get $a3) (local.get $r2))))
        (local.set $b2 (f64x2.add (local.get $a4) (f64x2.mul (local.get $a5) (local.get $r2))))
        (local.set $d0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $b1) (local.get $r4))))
        (local.set $d1 (f64x2.add (local.get $b2) (f64x2.mul (f64x2.splat (f64.const 1.1470745597729725e-11)) (local.get $r4))))
        (local.set $p (f64x2.add (local.get $r) (f64x2.mul (local.get $r2) (f64x2.add (local.get $d0) (f64x2.mul (local.get $d1) (f64x2.mul (local.get $r4) (local.get $r4)))))))
        ;; 2^k from k's bits: k + 2^52 holds k in its low bits; shifted into the exponent field and biased
        (local.set $s (i64x2.add (i64x2.shl (f64x2.add (local.get $k) (f64x2.splat (f64.const 4503599627370496))) (i32.const 52)) (v128.const i64x2 0x3ff0000000000000 0x3ff0000000000000)))
        (local.set $e (f64x2.add (f64x2.mul (local.get $s) (local.get $p)) (f64x2.sub (local.get $s) (f64x2.splat (f64.const 1)))))
        (local.set $t (f64x2.div (local.get $e) (f64x2.add (local.get $e) (f64x2.splat (f64.const 2)))))
        (local.set $t (v128.bitselect (f64x2.splat (f64.const 1)) (local.get $t) (f64x2.ge (local.get $ax) (f64x2.splat (f64.const 19.1)))))
        ;; t ≥ 0: x's sign bit gives −t for x < 0 and keeps −0; NaN passes through
        (local.set $t (v128.or (local.get $t) (v128.and (local.get $x) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))
        (local.set $t (v128.bitselect (local.get $x) (local.get $t) (f64x2.ne (local.get $x) (local.get $x))))
        (v128.store align=8 (local.get $a) (local.get $t))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br_if $eachPair (i32.lt_u (local.tee $z (i32.add (local.get $z) (i32.const 16))) (local.get $end))))))

  ;; out = z > 0 ? g : 0
  (func (export "reluBackward") (param $z i32) (param $g i32) (param $out i32) (param $len i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $z) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $z) (local.get $end)))
      (loop $eachPair
        (v128.store align=8 (local.get $out)
          (v128.and (v128.load align=8 (local.get $g)) (f64x2.gt (v128.load align=8 (local.get $z)) (v128.const i64x2 0 0))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $eachPair (i32.lt_u (local.tee $z (i32.add (local.get $z) (i32.const 16))) (local.get $end))))))

  ;; One SGD step over an even length, as optimizers.ts: d = g·scale + wd·θ; with momentum μ ≠ 0,
  ;; buf = first ? d : μ·buf + d and d = nesterov ? d + μ·buf : buf; θ ← θ − lr·d. Returns Σ (θnew − θold)² in order.
  (func (export "sgd")
    (param $theta i32) (param $g i32) (param $buf i32) (param $len i32)
    (param $scale f64) (param $wd f64) (param $lr f64) (param $mu f64) (param $first i32) (param $nesterov i32)
    (result f64)
    (local $end i32) (local $s f64) (local $old v128) (local $d v128) (local $b v128) (local $delta v128)
    (local $vScale v128) (local $vWd v128) (local $vLr v128) (local $vMu v128)
    (local.set $vScale (f64x2.splat (local.get $scale)))
    (local.set $vWd (f64x2.splat (local.get $wd)))
    (local.set $vLr (f64x2.splat (local.get $lr)))
    (local.set $vMu (f64x2.splat (local.get $mu)))
    (local.set $end (i32.add (local.get $theta) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $theta) (local.get $end)))
      (loop $eachPair
        (local.set $old (v128.load align=8 (local.get $theta)))
        (local.set $d (f64x2.add
          (f64x2.mul (v128.load align=8 (local.get $g)) (local.get $vScale))
          (f64x2.mul (local.get $vWd) (local.get $old))))
        (if (f64.ne (local.get $mu) (f64.const 0))
          (then
            (if (local.get $first)
              (then (local.set $b (local.get $d)))
              (else (local.set $b (f64x2.add (f64x2.mul (local.get $vMu) (v128.load align=8 (local.get $buf))) (local.get $d)))))
            (v128.store align=8 (local.get $buf) (local.get $b))
            (if (local.get $nesterov)
              (then (local.set $d (f64x2.add (local.get $d) (f64x2.mul (local.get $vMu) (local.get $b)))))
              (else (local.set $d (local.get $b))))
            (local.set $buf (i32.add (local.get $buf) (i32.const 16)))))
        (local.set $d (f64x2.sub (local.get $old) (f64x2.mul (local.get $vLr) (local.get $d))))
        (v128.store align=8 (local.get $theta) (local.get $d))
        (local.set $delta (f64x2.sub (local.get $d) (local.get $old)))
        (local.set $delta (f64x2.mul (local.get $delta) (local.get $delta)))
        (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $delta))))
        (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 1 (local.get $delta))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br_if $eachPair (i32.lt_u (local.tee $theta (i32.add (local.get $theta) (i32.const 16))) (local.get $end)))))
    (local.get $s))

  ;; One Adam / AdamW step over an even length, as optimizers.ts (oneMinusB1 = 1 − β₁, oneMinusB2 = 1 − β₂,
  ;; decay = 1 − lr·wd, all computed by the caller exactly as the scalar loop computes them):
  ;;   d = g·scale; AdamW: θ' = θ·decay, Adam: d = d + wd·θ
  ;;   m = β₁·m + (1 − β₁)·d;  v = β₂·v + (1 − β₂)·d·d;  θ' = θ' − (stepSize·m)/(√v / bc2Sqrt + ε)
  ;; Returns Σ (θnew − θold)² in order.
  (func (export "adam")
    (param $theta i32) (param $g i32) (param $m i32) (param $v i32) (param $len i32)
    (param $scale f64) (param $wd f64) (param $decay f64) (param $b1 f64) (param $oneMinusB1 f64)
    (param $b2 f64) (param $oneMinusB2 f64) (param $stepSize f64) (param $bc2Sqrt f64) (param $eps f64)
    (param $decoupled i32)
    (result f64)
    (local $end i32) (local $s f64) (local $old v128) (local $th v128) (local $d v128) (local $mv v128) (local $vv v128)
    (local $delta v128)
    (local.set $end (i32.add (local.get $theta) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $theta) (local.get $end)))
      (loop $eachPair
        (local.set $old (v128.load align=8 (local.get $theta)))
        (local.set $th (local.get $old))
        (local.set $d (f64x2.mul (v128.load align=8 (local.get $g)) (f64x2.splat (local.get $scale))))
        (if (local.get $decoupled)
          (then (local.set $th (f64x2.mul (local.get $th) (f64x2.splat (local.get $decay)))))
          (else (local.set $d (f64x2.add (local.get $d) (f64x2.mul (f64x2.splat (local.get $wd)) (local.get $th))))))
        (local.set $mv (f64x2.add
          (f64x2.mul (f64x2.splat (local.get $b1)) (v128.load align=8 (local.get $m)))
          (f64x2.mul (f64x2.splat (local.get $oneMinusB1)) (local.get $d))))
        (local.set $vv (f64x2.add
          (f64x2.mul (f64x2.splat (local.get $b2)) (v128.load align=8 (local.get $v)))
          (f64x2.mul (f64x2.mul (f64x2.splat (local.get $oneMinusB2)) (local.get $d)) (local.get $d))))
        (v128.store align=8 (local.get $m) (local.get $mv))
        (v128.store align=8 (local.get $v) (local.get $vv))
        (local.set $th (f64x2.sub (local.get $th)
          (f64x2.div
            (f64x2.mul (f64x2.splat (local.get $stepSize)) (local.get $mv))
            (f64x2.add (f64x2.div (f64x2.sqrt (local.get $vv)) (f64x2.splat (local.get $bc2Sqrt))) (f64x2.splat (local.get $eps))))))
        (v128.store align=8 (local.get $theta) (local.get $th))
        (local.set $delta (f64x2.sub (local.get $th) (local.get $old)))
        (local.set $delta (f64x2.mul (local.get $delta) (local.get $delta)))
        (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $delta))))
        (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 1 (local.get $delta))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br_if $eachPair (i32.lt_u (local.tee $theta (i32.add (local.get $theta) (i32.const 16))) (local.get $end)))))
    (local.get $s))
  ;; out = g·(1 − a·a) (tanh′ from the forward output a), over an even length.
  (func (export "tanhBackward") (param $a i32) (param $g i32) (param $out i32) (param $len i32)
    (local $end i32) (local $t v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (loop $eachPair
        (local.set $t (v128.load align=8 (local.get $a)))
        (v128.store align=8 (local.get $out) (f64x2.mul (v128.load align=8 (local.get $g))
          (f64x2.sub (f64x2.splat (f64.const 1.0)) (f64x2.mul (local.get $t) (local.get $t)))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $eachPair (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 16))) (local.get $end))))))

  ;; out = (g·a)·(1 − a) (sigmoid′ from the forward output a, in the scalar code's order), over an even length.
  (func (export "sigmoidBackward") (param $a i32) (param $g i32) (param $out i32) (param $len i32)
    (local $end i32) (local $s v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (loop $eachPair
        (local.set $s (v128.load align=8 (local.get $a)))
        (v128.store align=8 (local.get $out) (f64x2.mul (f64x2.mul (v128.load align=8 (local.get $g)) (local.get $s))
          (f64x2.sub (f64x2.splat (f64.const 1.0)) (local.get $s))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $eachPair (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 16))) (local.get $end))))))
)
