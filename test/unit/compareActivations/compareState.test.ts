import * as assert from 'node:assert/strict';
import { DEFAULT_COMPARE_STATE, MAX_COMPARE_DEPTH, sanitizeCompareState, stateFromArgs } from '../../../src/compareActivations/compareState';
import { renderCompareHtml } from '../../../src/compareActivations/compareHtml';

describe('Compare Activations state', () => {
  it('puts the hovered activation first, with sigmoid and ReLU beside it', () => {
    assert.deepEqual(stateFromArgs({ activations: ['selu'], params: { selu: { lambda: 1.0507009873554805, alpha: 1.6732632423543772 } } }).selected, ['selu', 'sigmoid', 'relu']);
    assert.deepEqual(stateFromArgs({ activations: ['leaky_relu'], params: { leaky_relu: { slope: 0.2 } } }).params, { leaky_relu: { slope: 0.2 } });
    assert.deepEqual(stateFromArgs({ activations: ['sigmoid'] }).selected, ['sigmoid', 'relu']);
    assert.deepEqual(stateFromArgs(undefined).selected, DEFAULT_COMPARE_STATE.selected);
  });

  it('keeps only known activations, finite parameters and a depth in range from a restored webview', () => {
    const restored = sanitizeCompareState({
      selected: ['tanh', 'not_an_activation', 42, 'gelu'],
      params: { leaky_relu: { slope: 0.3, bad: 'x', inf: Infinity }, nope: { a: 1 } },
      depth: 1e6,
      showDerivatives: false,
    });
    assert.deepEqual(restored, { selected: ['tanh', 'gelu'], params: { leaky_relu: { slope: 0.3 } }, depth: DEFAULT_COMPARE_STATE.depth, showDerivatives: false });
    assert.equal(sanitizeCompareState({ selected: [], depth: MAX_COMPARE_DEPTH })?.depth, MAX_COMPARE_DEPTH);
    assert.equal(sanitizeCompareState(null), undefined);
    assert.equal(sanitizeCompareState('state'), undefined);
  });

  it('serves a page with a strict CSP: no inline script or style, scripts only with the nonce', () => {
    const html = renderCompareHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/media/compare.js', baseStyleUri: 'vscode-resource:/media/base.css', styleUri: 'vscode-resource:/media/compare.css', nonce: 'abc123' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(html, /<style|style="/);
    // The one script that runs; the page's words ride along as a JSON data block, which is never run.
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts.filter(tag => !/type="application\/json"/.test(tag)).length, 1);
    assert.match(scripts.find(tag => /src=/.test(tag)) ?? '', /nonce="abc123" src="vscode-resource:\/media\/compare.js"/);
    assert.match(html, /<script type="application\/json" id="gradscope-strings">\{"title":"Compare Activations",/);
  });
});
