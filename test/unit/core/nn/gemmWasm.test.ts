import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import wabtInit from 'wabt';
import { ENGINE_WASM_BYTES } from '../../../../src/core/nn/wasm/engineBytes';
import { GEMM_WASM_BYTES } from '../../../../src/core/nn/wasm/gemmBytes';
import { gemmModuleBytes } from '../../../../src/core/nn/wasm/gemmModule';

// The root tsconfig has no DOM lib, so WebAssembly's JS API is typed here as far as the test uses it.
interface WasmJsApi {
  validate(bytes: Uint8Array): boolean;
  Module: { new (bytes: Uint8Array): object; exports(module: object): { name: string; kind: string }[] };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmJsApi }).WebAssembly;

const ROOT = path.resolve(__dirname, '../../../..');
const WAT = path.join(ROOT, 'src/core/nn/wasm/gemm.wat');

// gemmBytes.ts is generated from gemm.wat and committed (see scripts/build-wasm.mjs); the kernel's behaviour,
// bit for bit against the scalar loops, is tested in kernels.test.ts.
describe('the WebAssembly kernel source (gemm.wat)', () => {
  it('compiles with wabt to exactly the bytes the bundles embed', async () => {
    const wabt = await wabtInit();
    const module = wabt.parseWat('gemm.wat', fs.readFileSync(WAT, 'utf8'), { simd: true });
    try {
      module.validate();
      const compiled = Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
      assert.ok(compiled.equals(Buffer.from(GEMM_WASM_BYTES)), 'gemmBytes.ts is stale: run `npm run build` and commit it');
    } finally {
      module.destroy();
    }
  });

  it('engine.wat (the resident engine, shared memory) compiles to exactly the bytes of engineBytes.ts', async () => {
    const wabt = await wabtInit();
    const features = { simd: true, threads: true };
    const module = wabt.parseWat('engine.wat', fs.readFileSync(path.join(ROOT, 'src/core/nn/wasm/engine.wat'), 'utf8'), features);
    try {
      // wabt's typings omit validate's features argument; without it a shared memory fails validation.
      (module.validate as (features?: object) => void).call(module, features);
      const compiled = Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
      assert.ok(compiled.equals(Buffer.from(ENGINE_WASM_BYTES)), 'engineBytes.ts is stale: run `npm run build` and commit it');
    } finally {
      module.destroy();
    }
  });

  it('passes the generator\'s own --check', function () {
    this.timeout(30000); // a node process of its own, slow to start on a loaded machine
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-wasm.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('is a valid module exporting its memory and gemm(mt, nt, k, a, rs, ps, b, c, ld)', () => {
    const bytes = gemmModuleBytes();
    assert.ok(WebAssembly.validate(bytes));
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes));
    assert.deepEqual(exports, [{ name: 'memory', kind: 'memory' }, { name: 'gemm', kind: 'function' }]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    assert.equal((instance.exports.gemm as (...args: number[]) => void).length, 9);
  });
});
