import * as assert from 'node:assert/strict';
import { findActivationAt } from '../../../src/core/activations/activationRecognizer';
import { renderActivationSvg } from '../../../src/core/activations/activationSvg';
import type { ThemeKind } from '../../../src/core/activations/activationSvg';
import { buildHoverMarkdown, COMPARE_COMMAND, VISUALIZE_COMMAND } from '../../../src/activationHover/hoverMarkdown';
import { deepStackPresetFor } from '../../../src/shared/commands';

function markdownFor(code: string, target: string, languageId = 'python', theme: ThemeKind = 'dark'): string {
  const ref = findActivationAt(code, code.indexOf(target) + 1, { languageId });
  assert.ok(ref, `no activation at ${target}`);
  return buildHoverMarkdown(ref, theme);
}

function row(markdown: string, label: string): string {
  const line = markdown.split('\n').find(l => l.startsWith(`| ${label} |`));
  assert.ok(line, `no "${label}" row in:\n${markdown.replace(/base64,[^)]+/, 'base64,…')}`);
  return line;
}

/** The headline line under the title: the largest slope and what it means for depth. */
function slopeLine(markdown: string): string {
  const line = markdown.split('\n').find(l => l.startsWith('Largest slope '));
  assert.ok(line, 'no "Largest slope" line');
  return line;
}

function commandArgs(markdown: string, command: string): unknown {
  const match = new RegExp(`\\(command:${command.replace('.', '\\.')}\\?([^ )]+)`).exec(markdown);
  assert.ok(match, `no link to ${command}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

describe('hover markdown', () => {
  it('sigmoid: the picture, the 0.25 bound compounding as 0.25ⁿ, saturation, paper and both command links', () => {
    const markdown = markdownFor('net = nn.Sequential(nn.Linear(2, 8), nn.Sigmoid())', 'nn.Sigmoid');
    assert.match(slopeLine(markdown), /\*\*0\.25\*\* at x = 0 → n stacked layers scale the gradient by at most 0\.25ⁿ \(10 layers: 9\.54e-7\)/);
    assert.match(row(markdown, 'Saturates'), /x < −4\.36, x > 4\.36/);
    assert.match(row(markdown, 'Zero-centred'), /\| no/);
    assert.match(row(markdown, 'E[f′(z)], z ~ N(0, 1)'), /\| 0\.2066 → through 10 layers ×1\.42e-7/);
    assert.match(row(markdown, 'Paper'), /Rumelhart.*1986/);
    assert.deepEqual(commandArgs(markdown, VISUALIZE_COMMAND), [{ preset: 'deep-sigmoid', activation: 'sigmoid', params: {}, depth: 10 }]);
    assert.deepEqual(commandArgs(markdown, COMPARE_COMMAND), [{ activations: ['sigmoid'], params: { sigmoid: {} } }]);
    assert.match(markdown, /\[Compare activations\]\(command:/);
    assert.match(markdown, /\[Visualize a deep stack of it\]\(command:/);
  });

  it('embeds the SVG of the current theme as a data URI image', () => {
    for (const theme of ['light', 'dark', 'highContrast'] as ThemeKind[]) {
      const markdown = markdownFor('act = nn.Tanh()', 'nn.Tanh', 'python', theme);
      const image = /!\[[^\]]*\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(markdown);
      assert.ok(image, 'no data-URI image');
      assert.equal(Buffer.from(image[1], 'base64').toString('utf8'), renderActivationSvg('tanh', {}, { theme }));
    }
  });

  it('shows constants for SELU, the learned slope for PReLU and call-site parameters with their source', () => {
    assert.match(row(markdownFor('x = nn.SELU()(x)', 'nn.SELU'), 'Constants'), /λ = 1\.0507009873554805, α = 1\.6732632423543772/);
    assert.match(row(markdownFor('x = nn.PReLU()(x)', 'nn.PReLU'), 'Learned'), /slope \(initialised to 0\.25; one per layer, or one per unit\)/);
    assert.match(row(markdownFor('y = tf.nn.leaky_relu(x)', 'tf.nn'), 'Parameters'), /slope = 0\.2 \(TensorFlow default\)/);
    assert.match(row(markdownFor('a = nn.LeakyReLU(0.3)', 'nn.Leaky'), 'Parameters'), /slope = 0\.3 \(written here\)/);
    assert.match(row(markdownFor('a = nn.LeakyReLU()', 'nn.Leaky'), 'Parameters'), /slope = 0\.01 \(PyTorch default\)/);
    const keras = markdownFor('p = layers.PReLU()', 'layers.PReLU');
    assert.match(row(keras, 'Learned'), /initialised to 0;/);
    assert.match(keras, /Keras and tfjs start the learned slope at 0/);
  });

  it('names the dead range of ReLU and the zero-centring of tanh', () => {
    assert.match(row(markdownFor('h = F.relu(x)', 'F.relu'), 'Dead (f′ = 0)'), /x < 0/);
    assert.match(row(markdownFor('h = torch.tanh(x)', 'torch.tanh'), 'Zero-centred'), /\| yes \|/);
    assert.match(slopeLine(markdownFor('h = nn.ReLU()', 'nn.ReLU')), /\*\*1\*\* at x > 0/);
    assert.match(slopeLine(markdownFor('h = nn.SELU()', 'nn.SELU')), /can grow the gradient up to 1\.758ⁿ/);
  });

  it('asks Visualize Network for the panel’s plain deep-stack preset of the activation, when it has one', () => {
    assert.equal(deepStackPresetFor('sigmoid'), 'deep-sigmoid');
    assert.equal(deepStackPresetFor('relu'), 'deep-relu-he', 'not the batch-norm preset');
    assert.equal(deepStackPresetFor('selu'), 'selu');
    assert.equal(deepStackPresetFor('gelu'), undefined);
    const gelu = commandArgs(markdownFor('y = F.gelu(x)', 'F.gelu'), VISUALIZE_COMMAND) as object[];
    assert.deepEqual(gelu, [{ activation: 'gelu', params: {}, depth: 10 }]);
  });

  it('keeps every table row to two cells, escaping pipes inside formulas', () => {
    const markdown = markdownFor('a = nn.Softsign()', 'nn.Softsign');
    assert.match(row(markdown, 'f(x)'), /\\\|x\\\|/);
    for (const line of markdown.split('\n').filter(l => l.startsWith('| '))) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      assert.equal(cells, 2, line);
    }
  });
});
