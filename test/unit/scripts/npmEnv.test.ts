// The environment that scripts/setup-vscode.mjs gives nested npm installs: nothing an outer npm run leaked.
// The module is ESM (scripts run as plain node), so it is loaded in a child node process.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** What `expression` (over the imported modules) evaluates to in a child node run with environment `env`. */
function evaluateInNode(expression: string, env: Record<string, string>): Record<string, string> {
  const script = `
    const { withoutOuterNpm } = await import(${JSON.stringify(path.join(repoRoot, 'scripts', 'lib', 'npmEnv.mjs'))});
    const { node24Env, node24Home } = await import(${JSON.stringify(path.join(repoRoot, 'scripts', 'setup-vscode.mjs'))});
    process.stdout.write(JSON.stringify(${expression}));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, string>;
}

// What `npm test` (npm 11 on Node 20) exports to its scripts, as observed on this machine.
const outerNpmRun: Record<string, string> = {
  HOME: '/root',
  PATH: ['/repo/node_modules/.bin', '/node_modules/.bin', '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin', '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
  INIT_CWD: '/repo',
  NODE: '/usr/bin/node',
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_allow_scripts: '',
  npm_config_local_prefix: '/repo',
  npm_config_nodedir: '/usr',
  npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
  npm_config_registry: 'https://registry.example.test/',
  npm_config_noproxy: '',
  npm_lifecycle_event: 'test',
  npm_package_json: '/repo/package.json',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
};

describe('nested npm installs (scripts/lib/npmEnv.mjs)', () => {
  it('drop npm state, the outer Node and npm-run PATH entries; keep how to reach the registry', () => {
    const env = evaluateInNode('withoutOuterNpm(process.env)', outerNpmRun);
    assert.equal(env.npm_config_user_agent, undefined, 'code-server postinstall reads the Node version from it');
    assert.equal(env.npm_config_allow_scripts, undefined);
    assert.equal(env.npm_config_local_prefix, undefined);
    assert.equal(env.npm_lifecycle_event, undefined);
    assert.equal(env.npm_execpath, undefined);
    assert.equal(env.npm_config_noproxy, undefined, 'empty settings are unset ones');
    assert.equal(env.INIT_CWD, undefined);
    assert.equal(env.NODE, undefined);
    assert.equal(env.npm_config_registry, 'https://registry.example.test/');
    assert.equal(env.npm_config_cafile, '/etc/ssl/certs/ca-certificates.crt');
    assert.equal(env.HOME, '/root');
    assert.deepEqual(env.PATH.split(path.delimiter), ['/usr/local/bin', '/usr/bin', '/bin']);
  });

  it('node24Env puts Node 24 first and its headers in npm_config_nodedir, over the outer run', () => {
    const out = evaluateInNode('{ env: node24Env(process.env), home: node24Home }', outerNpmRun) as unknown as { env: Record<string, string>; home: string };
    assert.equal(out.env.PATH.split(path.delimiter)[0], path.join(out.home, 'bin'));
    assert.equal(out.env.npm_config_nodedir, out.home);
    assert.equal(out.env.npm_config_user_agent, undefined);
    assert.ok(!out.env.PATH.includes('node_modules/.bin'));
  });
});
