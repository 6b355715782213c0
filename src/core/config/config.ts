// The config room's front door: parsing a `*.nn.json` config (parseConfig.ts and its sections) and turning it into
// a run (runLoading.ts). The rest of the house imports from here.
export type {
  ConfigIssue, ConfigResult, ConfigRun, LayerLocation, NetworkTemplate, ParseConfigOptions, TrainSettings,
} from './configTypes';
export { parseConfig } from './parseConfig';
export {
  ConfigError, buildRun, countParameters, defaultLoss, loadDataset, loadRun, resolveNetwork,
  type LoadedRun, type RunOverrides, type RunRequest,
} from './runLoading';
