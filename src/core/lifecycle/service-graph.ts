import { LifecycleError, type Service } from './types.js';

/**
 * Checks that every dependency exists and that there is no cycle; returns the services in a
 * start order (each after its dependencies, otherwise in the order they were added).
 */
export function startOrder(services: readonly Service[]): Service[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const s of services) {
    for (const dep of s.dependsOn ?? []) {
      if (!byName.has(dep)) {
        throw new LifecycleError('unknown_dependency', `service "${s.name}" depends on unknown service "${dep}"`);
      }
    }
  }
  const order: Service[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: Service, path: string[]): void => {
    const seen = state.get(s.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(s.name)), s.name].join(' -> ');
      throw new LifecycleError('dependency_cycle', `service dependency cycle: ${cycle}`);
    }
    state.set(s.name, 'visiting');
    for (const dep of s.dependsOn ?? []) visit(byName.get(dep) as Service, [...path, s.name]);
    state.set(s.name, 'done');
    order.push(s);
  };
  for (const s of services) visit(s, []);
  return order;
}

/** For each service, the services that depend on it directly. */
export function dependentsOf(services: readonly Service[]): Map<string, string[]> {
  const out = new Map<string, string[]>(services.map((s) => [s.name, []]));
  for (const s of services) {
    for (const dep of s.dependsOn ?? []) out.get(dep)?.push(s.name);
  }
  return out;
}
