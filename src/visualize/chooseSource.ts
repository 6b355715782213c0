// Where a "Visualize Network" run comes from: the active *.nn.json, else the active or right-clicked data file
// with a preset, else a quick pick of the workspace's data files, the built-in datasets and "Browse…".
import * as path from 'node:path';
import * as vscode from 'vscode';
import { localizeCatalogued } from '../shared/localize';
import { BUILTIN_DATASETS } from '../core/data/builtinDatasets';
import { DEFAULT_PRESET_ID, NETWORK_PRESETS } from '../core/config/presets';
import type { RunSource } from '../protocol';

export const DATASET_EXTENSIONS = ['.csv', '.tsv', '.json', '.jsonl'];

export interface ChosenSource {
  source: RunSource;
  /** Short name for titles and logs, e.g. "iris.csv" or "circle (built-in)". */
  label: string;
}

/** Options the command accepts after the URI (tests and other commands skip the quick picks with them). */
export interface VisualizeOptions {
  preset?: string;
  builtin?: string;
  autoplay?: boolean;
}

export function isConfigPath(file: string): boolean {
  return file.toLowerCase().endsWith('.nn.json');
}

export function isDatasetPath(file: string): boolean {
  const lower = file.toLowerCase();
  return !isConfigPath(lower) && DATASET_EXTENSIONS.some(ext => lower.endsWith(ext));
}

function configSource(document: vscode.TextDocument | undefined, file: string): ChosenSource {
  // An open config is run as it is on screen, unsaved edits included.
  const text = document !== undefined && document.uri.fsPath === file ? document.getText() : undefined;
  return { source: { kind: 'config', configPath: file, configText: text }, label: path.basename(file) };
}

/** Resolves the run's source, asking only what cannot be inferred. Undefined when the person cancels. */
export async function chooseSource(uri: vscode.Uri | undefined, options: VisualizeOptions = {}): Promise<ChosenSource | undefined> {
  if (options.builtin !== undefined) {
    return { source: { kind: 'builtin', builtin: options.builtin, preset: options.preset ?? DEFAULT_PRESET_ID }, label: vscode.l10n.t('{0} (built-in)', options.builtin) };
  }
  const active = vscode.window.activeTextEditor?.document;
  const target = uri ?? (active?.uri.scheme === 'file' ? active.uri : undefined);
  if (target !== undefined && isConfigPath(target.fsPath)) {
    const open = vscode.workspace.textDocuments.find(d => d.uri.fsPath === target.fsPath);
    return configSource(open, target.fsPath);
  }
  if (target !== undefined && isDatasetPath(target.fsPath)) {
    return withPreset({ kind: 'dataset', dataPath: target.fsPath }, path.basename(target.fsPath), options.preset);
  }
  const picked = await pickData();
  if (picked === undefined) return undefined;
  if (picked.kind === 'config') return configSource(undefined, picked.path);
  if (picked.kind === 'builtin') return withPreset({ kind: 'builtin', builtin: picked.name }, vscode.l10n.t('{0} (built-in)', picked.name), options.preset);
  return withPreset({ kind: 'dataset', dataPath: picked.path }, path.basename(picked.path), options.preset);
}

type DataPick = { kind: 'dataset' | 'config'; path: string } | { kind: 'builtin'; name: string };

interface DataItem extends vscode.QuickPickItem {
  pick?: DataPick;
  browse?: boolean;
}

async function pickData(): Promise<DataPick | undefined> {
  const quickPick = vscode.window.createQuickPick<DataItem>();
  quickPick.title = vscode.l10n.t('Visualize Network: choose the data');
  quickPick.placeholder = vscode.l10n.t('A data file in the workspace, a network config, a built-in dataset, or Browse…');
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  const builtinItems: DataItem[] = [
    { label: vscode.l10n.t('Built-in datasets'), kind: vscode.QuickPickItemKind.Separator },
    ...BUILTIN_DATASETS.map(b => ({
      label: `$(beaker) ${b.name}`,
      description: `${b.label} · ${b.task}, ${b.inputs === 1 ? vscode.l10n.t('1 input') : vscode.l10n.t('{0} inputs', b.inputs)}`,
      pick: { kind: 'builtin', name: b.name } as DataPick,
    })),
  ];
  const browse: DataItem = { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, description: vscode.l10n.t('a CSV, TSV, JSON, JSON Lines or *.nn.json file'), browse: true };
  quickPick.items = [...builtinItems, browse];
  quickPick.show();
  // The workspace search runs while the pick is already open, so a big workspace never blocks it.
  void findWorkspaceFiles().then(files => {
    const relative = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri, false);
    const configs = files.filter(f => isConfigPath(f.fsPath));
    const datasets = files.filter(f => isDatasetPath(f.fsPath));
    const items: DataItem[] = [];
    if (configs.length > 0) {
      items.push({ label: vscode.l10n.t('Network configs'), kind: vscode.QuickPickItemKind.Separator });
      items.push(...configs.map(f => ({ label: `$(symbol-class) ${path.basename(f.fsPath)}`, description: relative(f), pick: { kind: 'config', path: f.fsPath } as DataPick })));
    }
    if (datasets.length > 0) {
      items.push({ label: vscode.l10n.t('Workspace data files'), kind: vscode.QuickPickItemKind.Separator });
      items.push(...datasets.map(f => ({ label: `$(table) ${path.basename(f.fsPath)}`, description: relative(f), pick: { kind: 'dataset', path: f.fsPath } as DataPick })));
    }
    quickPick.items = [...items, ...builtinItems, { label: '', kind: vscode.QuickPickItemKind.Separator }, browse];
    quickPick.busy = false;
  }, () => { quickPick.busy = false; });
  const chosen = await new Promise<DataItem | undefined>(resolve => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
  });
  quickPick.dispose();
  if (chosen === undefined) return undefined;
  if (chosen.browse === true) {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Visualize'),
      filters: { [vscode.l10n.t('Data or network config')]: ['csv', 'tsv', 'json', 'jsonl'] },
    });
    const file = files?.[0]?.fsPath;
    if (file === undefined) return undefined;
    return { kind: isConfigPath(file) ? 'config' : 'dataset', path: file };
  }
  return chosen.pick;
}

async function findWorkspaceFiles(): Promise<vscode.Uri[]> {
  if (vscode.workspace.workspaceFolders === undefined) return [];
  const found = await vscode.workspace.findFiles('**/*.{csv,tsv,json,jsonl}', '**/{node_modules,.git,.vscode-test,out,dist}/**', 500);
  // package.json, tsconfig.json and friends are not datasets.
  const notData = /(^|[\\/])(package(-lock)?|tsconfig[^\\/]*|jsconfig|launch|settings|tasks|extensions|\.?eslintrc|composer|bower)\.json$/i;
  return found.filter(uri => !notData.test(uri.fsPath)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

interface PresetItem extends vscode.QuickPickItem {
  presetId?: string;
  fromConfig?: boolean;
}

/** The network for a data file or built-in set: a preset, or "From config file…" (that config's network). */
async function withPreset(
  data: { kind: 'dataset'; dataPath: string } | { kind: 'builtin'; builtin: string },
  label: string,
  preset: string | undefined,
): Promise<ChosenSource | undefined> {
  if (preset !== undefined) return { source: { ...data, preset }, label };
  const items: PresetItem[] = [
    ...NETWORK_PRESETS.map(p => ({ label: p.label, detail: localizeCatalogued(p.description), presetId: p.id })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: `$(file-code) ${vscode.l10n.t('From config file…')}`, detail: vscode.l10n.t('Train the network of a *.nn.json config on this data'), fromConfig: true },
  ];
  const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Visualize Network: a network for {0}', label), placeHolder: vscode.l10n.t('Each preset shows one part of why deep networks stop learning'), matchOnDetail: true });
  if (chosen === undefined) return undefined;
  if (chosen.fromConfig === true) {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Use this network'), filters: { [vscode.l10n.t('Network config')]: ['json'] } });
    const configPath = files?.[0]?.fsPath;
    if (configPath === undefined) return undefined;
    const source: RunSource = data.kind === 'dataset'
      ? { kind: 'config', configPath, dataPath: data.dataPath }
      : { kind: 'config', configPath, builtin: data.builtin };
    return { source, label: vscode.l10n.t('{0} on {1}', path.basename(configPath), label) };
  }
  return { source: { ...data, preset: chosen.presetId ?? DEFAULT_PRESET_ID }, label };
}
