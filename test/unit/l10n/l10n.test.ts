// Every string the extension shows has a translation: the runtime strings (l10n.t calls and the core catalogue)
// in every l10n/bundle.l10n.<lang>.json with the same placeholders, and the manifest's %keys% in every
// package.nls.<lang>.json. The scanner is scripts/l10n-strings.mjs (also `node scripts/l10n-strings.mjs --write`).
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORE_MESSAGES, coreText, formatCoreText } from '../../../src/core/messages';
import { DEFAULT_PROBE_THRESHOLDS, combineWarnings, warningsFromSnapshot } from '../../../src/core/analysis/probeWarnings';
import type { Snapshot } from '../../../src/core/types';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const HANGUL = /[\uac00-\ud7a3]/;

interface Scanner {
  collectRuntimeStrings(): { strings: Map<string, string[]>; problems: string[] };
  collectCallStrings(root?: string): { strings: Map<string, string[]>; problems: string[] };
  readBundle(lang?: string): Record<string, string>;
  placeholders(message: string): string[];
}

function languages(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(dir).map(f => pattern.exec(f)?.[1]).filter((l): l is string => l !== undefined);
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, unknown>;

describe('localization', () => {
  let scanner: Scanner;
  before(async () => {
    scanner = await import(pathToFileURL(path.join(repoRoot, 'scripts', 'l10n-strings.mjs')).href) as Scanner;
  });

  it('finds the l10n.t calls in the host and rejects a message that is not a literal', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-l10n-scan-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), [
        "import * as vscode from 'vscode';",
        "vscode.l10n.t('Hello {0}', name);",
        "l10n.t(`plain template`);",
        "vscode.l10n.t(`Hi ${name}`);",
        "vscode.l10n.t(message);",
      ].join('\n'));
      const { strings, problems } = scanner.collectCallStrings(dir);
      assert.deepEqual([...strings.keys()].sort(), ['Hello {0}', 'plain template']);
      assert.equal(problems.length, 2, problems.join('\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every runtime string is in the English bundle and translated into every language, placeholders kept', () => {
    const { strings, problems } = scanner.collectRuntimeStrings();
    assert.deepEqual(problems, []);
    assert.ok(strings.size > 100, `only ${strings.size} runtime strings found`);
    for (const message of Object.values(CORE_MESSAGES)) assert.ok(strings.has(message), `catalogue entry not collected: ${message}`);
    const english = scanner.readBundle();
    const langs = languages(path.join(repoRoot, 'l10n'), /^bundle\.l10n\.([\w-]+)\.json$/);
    assert.ok(langs.includes('ko'), `bundles: ${langs.join(', ')}`);
    for (const bundle of [english, ...langs.map(l => scanner.readBundle(l))]) {
      const missing = [...strings.keys()].filter(k => !(k in bundle));
      const stale = Object.keys(bundle).filter(k => !strings.has(k));
      assert.deepEqual(missing, [], `no entry for ${missing.map(m => `${JSON.stringify(m)} (${strings.get(m)!.join(', ')})`).join('\n')}`);
      assert.deepEqual(stale, [], `entries nothing uses: ${stale.join('\n')}`);
      for (const [key, value] of Object.entries(bundle)) {
        assert.ok(value.trim().length > 0, `empty translation of ${key}`);
        assert.deepEqual(scanner.placeholders(value), scanner.placeholders(key), `placeholders differ in ${JSON.stringify(value)}`);
      }
    }
    for (const [key, value] of Object.entries(english)) assert.equal(value, key);
    // Korean is Korean: every entry with a word in it has Hangul (Gradscope's name and pure formulas excepted)
    const korean = scanner.readBundle('ko');
    const untranslated = Object.entries(korean).filter(([key, value]) => /[a-z]{3}/.test(key.replace(/\{\w+\}|Gradscope|PReLU|‖∂L\/∂W‖/g, '')) && !HANGUL.test(value));
    assert.deepEqual(untranslated.map(([k]) => k), []);
  });

  it('the manifest and every package.nls.<lang>.json have the same keys, and every %key% is defined', () => {
    const manifest = fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8');
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map(m => m[1]));
    const english = readJson('package.nls.json');
    assert.deepEqual([...used].filter(k => !(k in english)), [], 'package.json uses keys package.nls.json lacks');
    assert.deepEqual(Object.keys(english).filter(k => !used.has(k)), [], 'package.nls.json keys package.json does not use');
    const langs = languages(repoRoot, /^package\.nls\.([\w-]+)\.json$/);
    assert.ok(langs.includes('ko'));
    for (const lang of langs) {
      const translated = readJson(`package.nls.${lang}.json`);
      assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort(), `package.nls.${lang}.json keys`);
      for (const [key, value] of Object.entries(translated)) assert.ok(typeof value === 'string' && value.trim(), `${lang}: empty ${key}`);
    }
    // every text VS Code shows from contributes (settings' and groups' titles and descriptions, command titles and
    // categories, walkthrough texts and alt texts) is a %key%, so no setting stays English in a Korean VS Code
    const shown = /^(title|shortTitle|category|description|markdownDescription|enumDescriptions|markdownEnumDescriptions|enumItemLabels|deprecationMessage|markdownDeprecationMessage|altText|label|displayName)$/;
    const literal: string[] = [];
    const walk = (value: unknown, where: string, field: string): void => {
      if (typeof value === 'string') {
        if (shown.test(field) && !/^%[^%]+%$/.test(value)) literal.push(`${where}: ${value}`);
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, `${where}/${i}`, field));
      } else if (value && typeof value === 'object') {
        // a settings property is named after the setting, not a field: only its own fields are shown texts
        for (const [k, v] of Object.entries(value)) walk(v, `${where}/${k}`, where.endsWith('/properties') ? '' : k);
      }
    };
    const pkg = JSON.parse(manifest) as { contributes: unknown; displayName: string; description: string };
    walk(pkg.contributes, 'contributes', '');
    walk({ displayName: pkg.displayName, description: pkg.description }, '', '');
    assert.deepEqual(literal, [], 'texts in package.json that are not %keys% of package.nls.json');
    const korean = readJson('package.nls.ko.json') as Record<string, string>;
    for (const key of Object.keys(english).filter(k => k.startsWith('walkthrough.') || k.startsWith('config.'))) {
      assert.ok(HANGUL.test(korean[key]), `package.nls.ko.json ${key} is not Korean: ${korean[key]}`);
    }
  });

  it('the walkthrough: six steps, each with its picture, a button on a contributed command and completion events', () => {
    const pkg = readJson('package.json') as { contributes: { walkthroughs: { steps: { id: string; description: string; media: { svg: string }; completionEvents: string[] }[] }[]; commands: { command: string }[] } };
    const english = readJson('package.nls.json') as Record<string, string>;
    const korean = readJson('package.nls.ko.json') as Record<string, string>;
    const commands = new Set(pkg.contributes.commands.map(c => c.command));
    const [walkthrough] = pkg.contributes.walkthroughs;
    assert.equal(walkthrough.steps.length, 6);
    for (const step of walkthrough.steps) {
      assert.ok(fs.existsSync(path.join(repoRoot, step.media.svg)), step.media.svg);
      const key = step.description.replace(/%/g, '');
      for (const text of [english[key], korean[key]]) {
        const buttons = [...text.matchAll(/\]\(command:([\w.]+)\)/g)].map(m => m[1]);
        assert.ok(buttons.length > 0, `${step.id}: no button`);
        for (const c of buttons) assert.ok(commands.has(c), `${step.id}: button runs ${c}, which is not contributed`);
      }
      assert.ok(step.completionEvents.length > 0, `${step.id}: never completes`);
      for (const event of step.completionEvents) {
        assert.match(event, /^(onCommand|onContext|onView|onSettingChanged|onLink):/);
        if (event.startsWith('onCommand:')) assert.ok(commands.has(event.slice('onCommand:'.length)), event);
      }
    }
  });

  it('core messages format in English with every placeholder filled, nested ones included', () => {
    const layer = (index: number, gradNorm: number) => ({
      index, path: `layers[${index}]`, units: 32, fanIn: 32, activation: 'sigmoid', gradNorm, biasGradNorm: 0, gradMeanAbs: 0,
      gradMaxAbs: 0, deltaNorm: 0, updateRatio: 0, weightNorm: 1, saturation: 0.9, saturatedLow: 0.5, saturatedHigh: 0.4, dead: 0,
      z: { mean: 0, std: 1, percentiles: [], histogram: { min: 0, max: 1, counts: [] } },
      a: { mean: 0, std: 1, percentiles: [], histogram: { min: 0, max: 1, counts: [] } },
    });
    const snapshot = { epoch: 0, step: 0, samplesSeen: 0, loss: 1, lr: 0.01, batchSize: 32, layers: [layer(0, 1e-7), layer(2, 2e-7), layer(4, 1)] } as unknown as Snapshot;
    const warnings = warningsFromSnapshot(snapshot, DEFAULT_PROBE_THRESHOLDS, coreText('probe.atStep0Rows', { rows: 256 }));
    const vanishing = warnings.filter(w => w.kind === 'vanishing');
    assert.equal(vanishing.length, 2);
    assert.equal(vanishing[0].message, "Vanishing gradient at step 0 (256 rows): layer 0 (32 sigmoid) has ‖∂L/∂W‖ = 1e-7, 1/1e7 of the output layer's 1 (threshold 1/1000): this layer barely learns.");
    assert.equal(vanishing[0].when, 'at step 0 (256 rows)');
    const combined = combineWarnings(vanishing);
    assert.equal(combined.message, formatCoreText(combined.text!));
    assert.match(combined.message, /1e-7, .* Also layer 2 here\.$/);
    // a translation sees the template and the already-translated arguments
    const seen: string[] = [];
    formatCoreText(combined.text!, (template, args) => { seen.push(template); return `<${Object.keys(args).sort().join(',')}>`; });
    assert.deepEqual(seen.slice(-1), [CORE_MESSAGES['probe.alsoLayer']]);
    for (const w of warnings) assert.doesNotMatch(w.message, /\{\w+\}/, w.message);
  });
});
