import * as assert from 'node:assert/strict';
import * as sax from 'sax';
import { ACTIVATIONS } from '../../../../src/core/activations/activations';
import { activationFacts, compoundThroughLayers, describeRange, formatNumber } from '../../../../src/core/activations/activationFacts';
import { activationSvgDataUri, renderActivationSvg, type ThemeKind } from '../../../../src/core/activations/activationSvg';
import type { ActivationName } from '../../../../src/core/types';

interface Element {
  name: string;
  attributes: Record<string, string>;
}

/** Parses strictly (throws on any XML error) and returns every element in document order. */
function parseSvg(svg: string): Element[] {
  const parser = sax.parser(true, {});
  const elements: Element[] = [];
  parser.onopentag = (node) => {
    elements.push({ name: node.name, attributes: node.attributes as Record<string, string> });
  };
  parser.onerror = (error) => { throw error; };
  parser.write(svg).close();
  return elements;
}

/** The (x, y) data points of a path, mapped back from pixels through the window the SVG declares. */
function pathPoints(svgElements: Element[], series: 'f' | 'df'): [number, number][] {
  const root = svgElements[0].attributes;
  const [left, top, width, height] = root['data-plot'].split(' ').map(Number);
  const xMin = Number(root['data-x-min']);
  const xMax = Number(root['data-x-max']);
  const yMin = Number(root['data-y-min']);
  const yMax = Number(root['data-y-max']);
  const path = svgElements.find(e => e.name === 'path' && e.attributes['data-series'] === series);
  assert.ok(path, `no ${series} path`);
  const points: [number, number][] = [];
  for (const m of path.attributes.d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)) {
    const px = Number(m[1]);
    const py = Number(m[2]);
    points.push([xMin + ((px - left) / width) * (xMax - xMin), yMin + (1 - (py - top) / height) * (yMax - yMin)]);
  }
  return points;
}

/** Half a hundredth of a pixel (the SVG's rounding) in data units, plus the x error it induces on a slope. */
function pixelTolerance(svgElements: Element[], slope: number): number {
  const root = svgElements[0].attributes;
  const [, , width, height] = root['data-plot'].split(' ').map(Number);
  const ySpan = Number(root['data-y-max']) - Number(root['data-y-min']);
  const xSpan = Number(root['data-x-max']) - Number(root['data-x-min']);
  return 0.0051 * (ySpan / height) + Math.abs(slope) * 0.0051 * (xSpan / width);
}

describe('activation SVG', () => {
  const themes: ThemeKind[] = ['light', 'dark', 'highContrast', 'highContrastLight'];
  const names = Object.keys(ACTIVATIONS) as ActivationName[];

  it('is well-formed XML for every activation and theme', () => {
    for (const name of names) {
      for (const theme of themes) {
        const elements = parseSvg(renderActivationSvg(name, {}, { theme }));
        assert.equal(elements[0].name, 'svg');
        assert.equal(elements[0].attributes.xmlns, 'http://www.w3.org/2000/svg');
        assert.ok(elements.some(e => e.attributes['data-axis'] === 'x'), `${name}: x axis`);
        assert.ok(elements.some(e => e.attributes['data-axis'] === 'y'), `${name}: y axis`);
      }
    }
  });

  it('draws f and f′ through the table’s values at every sample point', () => {
    const cases: [ActivationName, Record<string, number>][] = [
      ['sigmoid', {}], ['tanh', {}], ['relu', {}], ['leaky_relu', { slope: 0.2 }], ['selu', {}], ['serlu', {}],
      ['gelu', {}], ['gelu_tanh', {}], ['mish', {}], ['softplus', { beta: 2 }], ['hardsigmoid', {}], ['elu', { alpha: 0.5 }],
      ['sin', {}], ['silu', {}],
    ];
    for (const [name, params] of cases) {
      const elements = parseSvg(renderActivationSvg(name, params, { theme: 'dark' }));
      const p = { ...ACTIVATIONS[name].defaults, ...params };
      for (const series of ['f', 'df'] as const) {
        const points = pathPoints(elements, series);
        assert.ok(points.length >= 200, `${name} ${series}: ${points.length} points`);
        let checked = 0;
        for (const [x, y] of points) {
          const expected = series === 'f' ? ACTIVATIONS[name].f(x, p) : ACTIVATIONS[name].df(x, p);
          // Skip the samples next to a kink, where rounding x by a hundredth of a pixel can cross it.
          const slope = series === 'f' ? ACTIVATIONS[name].df(x, p) : (ACTIVATIONS[name].df(x + 1e-4, p) - ACTIVATIONS[name].df(x - 1e-4, p)) / 2e-4;
          if (!Number.isFinite(slope) || Math.abs(slope) > 100) continue;
          assert.ok(Math.abs(y - expected) <= pixelTolerance(elements, slope),
            `${name} ${series}(${x.toFixed(4)}) drawn at ${y}, table says ${expected}`);
          checked++;
        }
        assert.ok(checked > 200, `${name} ${series}: only ${checked} points checked`);
      }
    }
  });

  it('the sigmoid’s derivative peaks at 0.25 at x = 0 in the picture', () => {
    const points = pathPoints(parseSvg(renderActivationSvg('sigmoid', {}, { theme: 'light' })), 'df');
    const peak = points.reduce((best, point) => (point[1] > best[1] ? point : best));
    assert.ok(Math.abs(peak[0]) < 1e-6, `peak at x = ${peak[0]}`);
    assert.ok(Math.abs(peak[1] - 0.25) < 1e-3, `peak value ${peak[1]}`);
  });

  it('shades the saturating and dead ranges where the table puts them', () => {
    const rects = (name: ActivationName) => {
      const elements = parseSvg(renderActivationSvg(name, {}, { theme: 'light' }));
      const root = elements[0].attributes;
      const [left, , width] = root['data-plot'].split(' ').map(Number);
      const xMin = Number(root['data-x-min']);
      const xMax = Number(root['data-x-max']);
      const toX = (px: number) => xMin + ((px - left) / width) * (xMax - xMin);
      return elements.filter(e => e.attributes['data-range']).map(e => ({
        kind: e.attributes['data-range'],
        from: toX(Number(e.attributes.x)),
        to: toX(Number(e.attributes.x) + Number(e.attributes.width)),
      }));
    };
    const sigmoid = rects('sigmoid').filter(r => r.kind === 'saturating');
    const cut = ACTIVATIONS.sigmoid.saturates.high![0];
    assert.equal(sigmoid.length, 2);
    assert.ok(Math.abs(sigmoid[0].to + cut) < 0.01 && Math.abs(sigmoid[1].from - cut) < 0.01, JSON.stringify(sigmoid));
    const reluDead = rects('relu').filter(r => r.kind === 'dead');
    assert.equal(reluDead.length, 1);
    assert.ok(Math.abs(reluDead[0].to) < 0.01, 'ReLU is dead up to 0');
    assert.equal(rects('prelu').length, 0, 'PReLU with slope 0.25 never saturates');
  });

  it('colours the curves differently in light, dark and high-contrast themes', () => {
    const strokes = themes.map(theme => {
      const elements = parseSvg(renderActivationSvg('tanh', {}, { theme }));
      return elements.find(e => e.attributes['data-series'] === 'f')!.attributes.stroke;
    });
    assert.equal(new Set(strokes).size, themes.length);
  });

  it('caches data URIs per name, parameters and theme', () => {
    const a = activationSvgDataUri('leaky_relu', { slope: 0.2 }, 'dark');
    assert.equal(activationSvgDataUri('leaky_relu', { slope: 0.2 }, 'dark'), a);
    assert.notEqual(activationSvgDataUri('leaky_relu', { slope: 0.3 }, 'dark'), a);
    assert.notEqual(activationSvgDataUri('leaky_relu', { slope: 0.2 }, 'light'), a);
    assert.ok(a.startsWith('data:image/svg+xml;base64,'));
    parseSvg(Buffer.from(a.slice(a.indexOf(',') + 1), 'base64').toString('utf8'));
  });
});

describe('activation facts', () => {
  /** Φ by a separate route from the table's erf: Simpson on the density from 0. */
  function normalCdfReference(x: number): number {
    const n = 20000;
    const h = x / n;
    let s = 0;
    for (let i = 0; i <= n; i++) {
      const t = i * h;
      s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-t * t / 2);
    }
    return 0.5 + (s * h) / 3 / Math.sqrt(2 * Math.PI);
  }

  it('reports the sigmoid’s largest slope 0.25 at 0, saturating tails and no zero-centring', () => {
    const facts = activationFacts('sigmoid');
    assert.equal(facts.maxSlope, 0.25);
    assert.equal(facts.maxSlopeWhere, 'x = 0');
    assert.equal(facts.zeroCentred, false);
    assert.equal(facts.saturating.length, 2);
    assert.ok(Math.abs(compoundThroughLayers(facts.maxSlope, 10) - 9.5367431640625e-7) < 1e-18);
  });

  it('computes E[f′(z)] for z ~ N(0, 1) against closed forms', () => {
    const expTail = Math.exp(0.5) * normalCdfReference(-1); // E[eᶻ; z < 0]
    const closedForms: [ActivationName, Record<string, number>, number][] = [
      ['linear', {}, 1],
      ['step', {}, 0],
      ['relu', {}, 0.5],
      ['leaky_relu', { slope: 0.2 }, 0.6],
      ['prelu', {}, 0.625],
      ['elu', {}, 0.5 + expTail],
      ['elu', { alpha: 0.5 }, 0.5 + 0.5 * expTail],
      ['selu', {}, 1.0507009873554805 * (0.5 + 1.6732632423543772 * expTail)],
      ['hardtanh', {}, 2 * normalCdfReference(1) - 1],
      ['hardsigmoid', {}, (2 * normalCdfReference(3) - 1) / 6],
      ['relu6', {}, normalCdfReference(6) - 0.5],
      ['sin', {}, Math.exp(-0.5)],
    ];
    for (const [name, params, expected] of closedForms) {
      const { expectedSlope } = activationFacts(name, params);
      assert.ok(Math.abs(expectedSlope - expected) < 2e-6, `${name} ${JSON.stringify(params)}: ${expectedSlope} vs ${expected}`);
    }
  });

  it('computes E[σ′(z)] in agreement with a seeded Monte Carlo estimate', () => {
    let seed = 12345;
    const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    let sum = 0;
    const n = 400000;
    for (let i = 0; i < n; i++) {
      const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      const s = 1 / (1 + Math.exp(-z));
      sum += s * (1 - s);
    }
    const { expectedSlope } = activationFacts('sigmoid');
    assert.ok(Math.abs(expectedSlope - sum / n) < 1e-3, `${expectedSlope} vs ${sum / n}`);
    assert.ok(expectedSlope < 0.25);
  });

  it('recomputes ranges for parameters other than the table’s defaults', () => {
    assert.equal(activationFacts('leaky_relu').saturating.length, 1, 'slope 0.01 < 5% of 1: the left side saturates');
    assert.equal(activationFacts('leaky_relu', { slope: 0.2 }).saturating.length, 0);
    assert.equal(activationFacts('leaky_relu', { slope: 0.2 }).maxSlopeWhere, 'x > 0');
    const wide = activationFacts('hardtanh', { min: -2, max: 2 });
    assert.deepEqual(wide.dead.map(r => [r.from, r.to]), [[-Infinity, -2], [2, Infinity]]);
    const silu2 = activationFacts('silu', { beta: 2 });
    assert.match(silu2.maxSlopeWhere, /^x ≈ 1\.19/);
  });

  it('formats numbers and ranges for people', () => {
    assert.equal(formatNumber(0.25), '0.25');
    assert.equal(formatNumber(-4.356544), '−4.357');
    assert.equal(formatNumber(9.5367431640625e-7), '9.54e-7');
    assert.equal(describeRange({ from: -Infinity, to: 0 }), 'x < 0');
    assert.equal(describeRange({ from: 0, to: 6 }), '0 < x < 6');
  });
});
