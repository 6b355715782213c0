// The bundled examples the walkthrough runs on: the workspace's own copy when it has one (examples/ or
// gradscope-examples/), else a copy of the extension's examples/ made into the first workspace folder, else (no
// folder open) into the extension's global storage. Never the installed extension's own files: the quick-fix step
// edits the config it opens.
import * as vscode from 'vscode';

export const EXAMPLE_FILES = {
  deepSigmoid: 'deep-sigmoid.nn.json',
  deepReluHe: 'deep-relu-he.nn.json',
  batchNorm: 'batchnorm.nn.json',
  residual: 'residual.nn.json',
  universalApproximation: 'universal-approximation.nn.json',
  pytorchModel: 'deep_sigmoid.py',
} as const;

const COPY_FOLDER = 'gradscope-examples';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The example `file` (a name in EXAMPLE_FILES), copying the examples folder first if nobody has it yet. */
export async function bundledExample(context: vscode.ExtensionContext, file: string): Promise<vscode.Uri> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    for (const sub of ['examples', COPY_FOLDER]) {
      const candidate = vscode.Uri.joinPath(folder.uri, sub, file);
      if (await exists(candidate)) return candidate;
    }
  }
  const target = folders.length > 0 ? vscode.Uri.joinPath(folders[0].uri, COPY_FOLDER) : vscode.Uri.joinPath(context.globalStorageUri, 'examples');
  if (!(await exists(vscode.Uri.joinPath(target, file)))) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'examples'), target, { overwrite: true });
    if (folders.length > 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Copied Gradscope\'s examples into {0} for the walkthrough.', vscode.workspace.asRelativePath(target)));
    }
  }
  return vscode.Uri.joinPath(target, file);
}
