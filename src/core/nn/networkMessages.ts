// The network's refusals of a spec or of a parameter list (network.ts: SpecError), by id: part of the core's
// catalogue (src/core/messages.ts). The config parser and the model file reader refuse most of these first, in their
// own words; what reaches SpecError is code building a spec itself, or parameters that do not fit (the CLI's --model).
export const NETWORK_MESSAGES = {
  'spec.at': '{path}: {message}',
  'spec.inputs': 'inputs must be a positive integer',
  'spec.layersArray': 'layers must be an array',
  'spec.layerObject': 'a layer must be an object',
  'spec.units': 'units must be a positive integer',
  'spec.unknownActivation': 'unknown activation "{name}"',
  'spec.dropoutP': 'p must be in [0, 1)',
  'spec.unknownLayerType': 'unknown layer type "{type}"',
  'spec.numbers': 'expected {count} numbers, got {got}',
  'spec.notFinite': 'entry {index} is not a finite number',
  'spec.rows': 'expected {rows} rows of {cols}, got {got}',
  'spec.rowsGot': '{count} rows',
  'spec.layers': 'expected {count} layers, got {got}',
  'spec.layerType': 'expected a {expected} layer, got {got}',
  'spec.nothing': 'nothing',
  'spec.activation': 'expected activation {expected}, got {got}',
} as const;
