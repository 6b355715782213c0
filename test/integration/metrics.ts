// Figures measured inside the extension host (e.g. activation time), printed by the runner after the run.
// Each test file is bundled on its own, so the store lives on globalThis, not in this module's scope.
const KEY = '__gradscopeTestMetrics';

type MetricStore = Record<string, number>;

function store(): MetricStore {
  const g = globalThis as unknown as Record<string, MetricStore | undefined>;
  return (g[KEY] ??= {});
}

export function recordMetric(name: string, value: number): void {
  store()[name] = value;
  console.log(`[metric] ${name} = ${value}`);
}

export function collectedMetrics(): MetricStore {
  return { ...store() };
}
