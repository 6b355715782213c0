// `gradscope landscape CONFIG [--load MODEL] [--grid N] [--range R] [--seed S] [--steps K] [--rows M] [--json]`:
// the loss around the config's weights (after K training steps, or a saved model's) on two filter-normalised random
// directions (Li et al. 2018), printed as JSON (axis, rows of losses, loss at θ, minimum, 1-D slice along δ) or as a
// small text summary with a character heatmap.
import * as path from 'node:path';
import { buildRun, loadRun } from '../core/config/config';
import { InputError } from '../core/inputError';
import { checkOutputPath, writeFileAtomicSync } from '../core/io/atomicWrite';
import { commandHelp, parseCommandLine, positionalsAtMost, stringValue, wholeNumber, type CommandSpec } from './args';
import { LANDSCAPE_DEFAULTS, LANDSCAPE_LIMITS, computeLandscape, landscapeRoughness, type LandscapeResult } from '../core/analysis/landscape';
import { readModelFile } from '../core/config/modelFile';
import { Trainer } from '../core/nn/trainer';
import { landscapeReportHtml } from './landscapeReport';

export const LANDSCAPE_COMMAND: CommandSpec = {
  name: 'landscape',
  synopsis: 'CONFIG.nn.json [options]',
  description: `The training loss on a plane through the network's weights θ: θ + α·δ + β·η for α, β in [−R, R], with δ and η
random directions, filter-normalised (each unit's incoming weights scaled to the norm of θ's; biases, batch norm
and PReLU slopes not moved), as in Li et al., "Visualizing the Loss Landscape of Neural Nets" (2018).`,
  positionals: [{ name: 'CONFIG.nn.json', help: 'the network config whose landscape to draw' }],
  options: [
    { name: 'load', value: 'FILE', help: 'the weights of a gradscope-model file (default: the config\'s network trained --steps steps)' },
    { name: 'steps', value: 'K', help: 'training steps before the landscape when there is no --load (default 0: at initialisation)' },
    { name: 'grid', value: 'N', help: `grid points per axis, odd so that the centre is θ (default ${LANDSCAPE_DEFAULTS.grid})` },
    { name: 'range', value: 'R', help: `half-width of the plane (default ${LANDSCAPE_DEFAULTS.range})` },
    { name: 'seed', value: 'S', help: `seed of the directions (default ${LANDSCAPE_DEFAULTS.seed})` },
    { name: 'rows', value: 'M', help: `training rows evaluated, evenly strided past M (default ${LANDSCAPE_DEFAULTS.maxRows})` },
    { name: 'json', help: 'one JSON object: {"axis","rows","lossAtTheta","min","max","slice",…}' },
    { name: 'report', value: 'F.html', help: 'also write a self-contained HTML page with the heatmap, contours and the 1-D slice' },
  ],
};

export const LANDSCAPE_USAGE = commandHelp(LANDSCAPE_COMMAND);

export interface LandscapeCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface LandscapeArgs {
  config: string;
  load?: string;
  steps: number;
  grid: number;
  range: number;
  seed: number;
  rows: number;
  json: boolean;
  report?: string;
}

/** The landscape command's options, or undefined when --help was asked for. */
export function parseLandscapeArgs(args: string[]): LandscapeArgs | undefined {
  const parsed = parseCommandLine(LANDSCAPE_COMMAND, args);
  if (parsed.help) return undefined;
  const text = (name: string) => stringValue(parsed, name);
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const v = text(name);
    return v === undefined ? fallback : wholeNumber(v, `--${name}`, min, max);
  };
  const config = positionalsAtMost(parsed, 1, 'config file')[0];
  if (config === undefined) throw new InputError(`give a config file (run 'gradscope landscape --help' for the options)`);
  const options: LandscapeArgs = {
    config,
    load: text('load'),
    steps: whole('steps', 0, 0, 10_000_000),
    grid: whole('grid', LANDSCAPE_DEFAULTS.grid, LANDSCAPE_LIMITS.minGrid, LANDSCAPE_LIMITS.maxGrid),
    seed: whole('seed', LANDSCAPE_DEFAULTS.seed, -(2 ** 31), 2 ** 31),
    rows: whole('rows', LANDSCAPE_DEFAULTS.maxRows, 1, 10_000_000),
    range: LANDSCAPE_DEFAULTS.range,
    json: parsed.values.json === true,
    report: text('report'),
  };
  const rangeText = text('range');
  if (rangeText !== undefined) {
    const r = Number(rangeText);
    if (!(r > 0 && r <= LANDSCAPE_LIMITS.maxRange)) throw new InputError(`--range must be a number in (0, ${LANDSCAPE_LIMITS.maxRange}], got '${rangeText}'`);
    options.range = r;
  }
  if (options.report !== undefined && !/\.html?$/i.test(options.report)) throw new InputError(`--report writes HTML: give a file ending in .html (got '${options.report}')`);
  if (options.grid % 2 === 0) throw new InputError(`--grid must be odd so that the centre of the grid is θ, got ${options.grid}`);
  return options;
}

/** Exit code as the train command's: 0 done, 2 bad input. */
export async function runLandscape(args: string[], io: LandscapeCliIo): Promise<number> {
  const options = parseLandscapeArgs(args);
  if (!options) {
    io.stdout(`${LANDSCAPE_USAGE}\n`);
    return 0;
  }
  if (options.report !== undefined) checkOutputPath(options.report, '--report');
  const loaded = await loadRun({ kind: 'config', configPath: options.config });
  for (const w of loaded.warnings) io.stderr(`warning: ${options.config}:${w.line}:${w.column}: ${w.message}\n`);
  let { data, train: spec } = loaded;
  let trainer: Trainer;
  try {
    if (options.load !== undefined) {
      const model = readModelFile(options.load);
      if (model.file.standardisation) data = buildRun(loaded.config, loaded.dataset, { standardisation: model.file.standardisation }).data;
      if (model.spec.inputs !== data.d) throw new InputError(`${path.basename(options.load)} takes ${model.spec.inputs} inputs but the data has ${data.d}`);
      spec = { ...spec, network: model.spec };
      trainer = new Trainer(spec, data);
      trainer.network.importParams(model.params);
    } else {
      trainer = new Trainer(spec, data);
      trainer.runSteps(options.steps);
    }
  } catch (error) {
    throw error instanceof InputError ? error : new InputError(error instanceof Error ? error.message : String(error));
  }
  const started = Date.now();
  const result = computeLandscape(trainer.network, spec.loss, data.train, {
    grid: options.grid, range: options.range, seed: options.seed, maxRows: options.rows,
  });
  if (!result) return 3;
  const seconds = (Date.now() - started) / 1000;
  if (options.report !== undefined) {
    try {
      writeFileAtomicSync(options.report, landscapeReportHtml(loaded.title, result, landscapeRoughness(result.rows)));
    } catch (error) {
      throw new InputError(`cannot write the report ${options.report}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!options.json) io.stderr(`wrote ${options.report}\n`);
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({
      title: loaded.title, steps: options.load ? undefined : trainer.step, load: options.load, ...result,
      roughness: landscapeRoughness(result.rows), seconds,
    })}\n`);
  } else {
    io.stdout(textSummary(loaded.title, result, seconds));
  }
  return 0;
}

const SHADES = ' .:-=+*#%@';

/** A character heatmap (low loss blank, high loss dense) and the key numbers. */
function textSummary(title: string, r: LandscapeResult, seconds: number): string {
  const lines = [`${title} — loss landscape, ${r.grid}×${r.grid} over [−${r.range}, ${r.range}]², ${r.rowsUsed} training rows, seed ${r.seed} (${seconds.toFixed(1)} s)`];
  lines.push(`loss at θ ${r.lossAtTheta.toPrecision(5)}; lowest ${r.min.loss.toPrecision(5)} at α=${r.min.alpha.toFixed(3)}, β=${r.min.beta.toFixed(3)}; highest ${r.max.toPrecision(5)}`);
  const lo = Math.log(Math.max(r.min.loss, 1e-300));
  const hi = Math.log(Math.max(r.max, 1e-300));
  for (let j = r.rows.length - 1; j >= 0; j--) {
    let line = '';
    for (const v of r.rows[j]) {
      const t = Number.isFinite(v) && hi > lo ? (Math.log(Math.max(v, 1e-300)) - lo) / (hi - lo) : 1;
      line += SHADES[Math.min(SHADES.length - 1, Math.floor(t * SHADES.length))];
    }
    lines.push(`  ${line}`);
  }
  lines.push('(log loss; β up, α right; --json for the numbers)');
  return `${lines.join('\n')}\n`;
}
