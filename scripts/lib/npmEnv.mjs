// The environment for an npm or node-gyp run nested inside another npm run (`npm test` -> setup -> `npm install`).
// npm exports its own state to scripts as npm_* variables and prepends node_modules/.bin folders to PATH; a nested
// npm reads every npm_config_* variable as its own configuration. So a child install would inherit, among others,
// npm_config_user_agent ("node/v20 …", which code-server's postinstall reads as the running Node), the outer run's
// local prefix and an empty allow_scripts. We keep only the settings that say how to reach the registry and where the
// user's npm files are, which are the same for any npm; everything else of npm's is dropped.
import path from 'node:path';

const KEPT_NPM_CONFIG = new Set([
  'npm_config_registry', 'npm_config_cafile', 'npm_config_ca', 'npm_config_strict_ssl',
  'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy',
  'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_cache',
]);

/** Whether PATH entry `dir` was put there by an outer npm run (a project's .bin or npm's node-gyp shim). */
function isNpmRunPathEntry(dir) {
  const normal = dir.split(path.sep).join('/');
  return normal.endsWith('/node_modules/.bin') || normal === 'node_modules/.bin' || normal.includes('/@npmcli/run-script/lib/node-gyp-bin');
}

/**
 * `base` without what an outer npm run leaked into it. A key of npm's kept by name keeps its value only when it is
 * not empty (npm exports unset settings as empty strings).
 */
export function withoutOuterNpm(base = process.env) {
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_')) {
      if (KEPT_NPM_CONFIG.has(lower) && value !== '') env[key] = value;
      continue;
    }
    // npm run also sets INIT_CWD (the outer working folder) and NODE (the outer node binary)
    if (key === 'INIT_CWD' || key === 'NODE') continue;
    env[key] = value;
  }
  if (typeof env.PATH === 'string') {
    env.PATH = env.PATH.split(path.delimiter).filter(dir => dir !== '' && !isNpmRunPathEntry(dir)).join(path.delimiter);
  }
  return env;
}
