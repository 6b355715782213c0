// A PyTorch run log's messages, by id: how the file was read (runLog.ts: RunLogIssue.text) and the notes and NaN
// warnings of runAnalysis.ts. Part of the core's catalogue (src/core/messages.ts), so the run's page shows them in
// the display language while the CLI's `gradscope view` keeps the English.
export const RUN_MESSAGES = {
  'runs.cutOff': 'the last line is incomplete ({bytes} bytes, no newline): the run was cut off while writing it; it is skipped',
  'runs.notJson': 'line {line} is not JSON ({error}): {consequence}',
  'runs.notRunLog': 'this is not a gradscope run log',
  'runs.skipped': 'skipped',
  'runs.noType': 'line {line} is not a gradscope record (no "type"): skipped',
  'runs.snapshotBeforeMeta': 'line {line}: a snapshot before any meta record: this is not a gradscope run log (it starts with {"type":"meta",…})',
  'runs.unknownType': 'line {line}: unknown record type "{type}" (a newer gradscope?): skipped',
  'runs.newerFormat': 'line {line}: written by a newer gradscope (format {format}); this extension reads format {supported}: what it recognises is shown, update the extension for the rest',
  'runs.noParameters': 'line {line}: the model has no modules that own parameters: there are no gradients to show, only the loss and the activations',
  'runs.atLine': 'line {line}: {message}',
  'runs.manyRuns': 'this file holds {runs} runs (one name reused): showing the last',
  'runs.thinned': '{count} snapshots, {kept} kept (older ones thinned evenly)',
  'runs.splitNote': 'Where the gradient is lost: the exact split (activation × weight factors) is shown where the forward pass runs a module straight into an activation module and that straight into an nn.Linear, with ‖∂L/∂z‖ logged (gradscope 0.2 or later); this run has no such chain in its latest snapshot: the gradient norms, their decay to the last module and the saturation shares are shown instead',
  'runs.unmeasured': 'Not measured: {modules}: activation modules outside Gradscope\'s table, so their saturation and dead units are not shown (it measures nn.Sigmoid, Tanh, ReLU, ReLU6, Hardtanh, LeakyReLU, PReLU, ELU, SELU, GELU, SiLU, Mish, Softplus, Softsign and Hardsigmoid)',
  'runs.notCompared': 'Not held against the last module for vanishing or exploding gradients: {modules}: a normalization layer\'s gradient is its scale\'s, and a parameter that is not a weight (a bias table, a token) has no error signal to lose; their ‖∂L/∂W‖ are in the table',
  'runs.noGradients': 'Every module\'s gradient is missing or 0 at step {step}: called after optimizer.zero_grad(), w.step() finds the gradients already cleared; call it between loss.backward() and zero_grad()',
  'runs.noActivations': 'No activation module was recorded, so saturation and dead units are not shown: functional activations (F.relu, torch.sigmoid, the activation inside nn.TransformerEncoderLayer) cannot be hooked; the module form (nn.ReLU()) can',
  'runs.warningNote': '⚠ {message}',
  'runs.nonFinite': 'Non-finite values: {what} logged {key} = {value} first at step {step}: training has diverged there (lower the learning rate, clip the gradient norm).',
  'runs.theLoss': 'the loss',
  'runs.module': 'module {name}',
  'runs.moduleLayer': 'module {name} ({units} {activation})',
  'runs.atStep': 'at step {step}',
} as const;
