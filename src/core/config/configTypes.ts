// The shapes a parsed `*.nn.json` config takes: its issues, where its layers are written, and the run it
// describes before the data is known. Types only.
import type { CoreText } from '../messages';
import type { DataSpec, LossName, ModuleSpec, TrainSpec } from '../types';

export interface ConfigIssue {
  /** In English (what the CLI prints); `text` is the same message as data, for the extension to translate. */
  message: string;
  text: CoreText;
  severity: 'error' | 'warning';
  /** Character range in the config text. */
  offset: number;
  length: number;
  /** 1-based, as people read them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** JSON path of the offending value, e.g. "optimizer.lr" or "layers[3].units" ("" for the whole file). */
  path: string;
}

/** Where a linear layer of the resolved network is written in the config (for per-layer hints). */
export interface LayerLocation {
  /** Linear layer index, 0 … L−1 as the probes number them. */
  index: number;
  /** JSON path of the source element that produced the layer (a `hidden` entry, a `layers` module, a repeat). */
  path: string;
  /** The layer's path in the resolved NetworkSpec (LayerProbe.path), e.g. "layers[4]". */
  specPath: string;
  offset: number;
  length: number;
  /** 1-based. */
  line: number;
  column: number;
  /** True for the output layer (added from `output` in the shorthand form). */
  output: boolean;
}

/** A config's network before the data is known: the output layer's width is filled by resolveNetwork. */
export interface NetworkTemplate {
  layers: ModuleSpec[];
  /** Index (in `layers`) of the top-level output linear module. */
  outputIndex: number;
  /** Units written on the output layer, when given (checked against the data). */
  outputUnits?: number;
}

/** Training settings besides the network and the loss (which depend on the data). */
export type TrainSettings = Omit<TrainSpec, 'network' | 'loss'>;

/** A valid config, resolved except for what needs the data. */
export interface ConfigRun {
  name?: string;
  /** Absolute path of the config file. */
  configPath: string;
  data: DataSpec;
  network: NetworkTemplate;
  /** The loss written in the config; undefined: chosen from the task. */
  loss?: LossName;
  train: TrainSettings;
}

export interface ConfigResult {
  /** Every problem found, errors and warnings, in source order. */
  errors: ConfigIssue[];
  /** No issue of severity 'error'. */
  ok: boolean;
  /** Present when ok. */
  run?: ConfigRun;
  /** Per linear layer, where it is written (also when other parts of the config have errors, if the network parsed). */
  layerLocations: LayerLocation[];
}

export interface ParseConfigOptions {
  /** Whether a data file exists (default: fs.existsSync). */
  fileExists?: (absolutePath: string) => boolean;
  /** Names in a folder, for "did you mean" on a missing data file (default: fs.readdirSync). */
  listFolder?: (absolutePath: string) => string[];
  /** A `data` key is optional (the data comes from elsewhere, e.g. `gradscope train --data`). */
  dataOptional?: boolean;
}
