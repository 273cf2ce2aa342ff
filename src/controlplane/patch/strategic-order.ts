// Element order after a strategic merge, as Kubernetes computes it: items named in the patch (or in its
// `$setElementOrder/<list>` directive) take the patch's relative order, items only on the server keep
// theirs, and the two sequences are interleaved by their positions in the server list. An item new to the
// server has no position there, so it lands before the next server-only item: a patch that adds one
// container without an order directive puts it first, exactly as the API server does.
import { isJsonObject } from './json-value.js';

/** Identity of a list item: its merge-key value for lists of objects, the value itself for scalars. */
export type ItemIdentity = (item: unknown) => string | undefined;

export function identityFor(mergeKey: string | undefined): ItemIdentity {
  if (mergeKey === undefined) return (item) => JSON.stringify(item);
  return (item) => (isJsonObject(item) && item[mergeKey] !== undefined ? JSON.stringify(item[mergeKey]) : undefined);
}

function positions(list: readonly unknown[], identity: ItemIdentity): Map<string, number> {
  const index = new Map<string, number>();
  list.forEach((item, i) => {
    const id = identity(item);
    if (id !== undefined && !index.has(id)) index.set(id, i);
  });
  return index;
}

/** Splits `items` into those whose identity occurs in `by` and the rest, keeping order. */
export function partitionByPresence(items: readonly unknown[], by: readonly unknown[], identity: ItemIdentity): [unknown[], unknown[]] {
  const present = positions(by, identity);
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  for (const item of items) {
    const id = identity(item);
    (id !== undefined && present.has(id) ? inBy : rest).push(item);
  }
  return [inBy, rest];
}

function sortBy(items: readonly unknown[], order: readonly unknown[], identity: ItemIdentity): unknown[] {
  const index = positions(order, identity);
  const at = (item: unknown): number => index.get(identity(item) ?? '') ?? -1;
  // Stable sort; items missing from `order` compare equal and keep their place.
  return [...items].sort((a, b) => (at(a) >= 0 && at(b) >= 0 ? at(a) - at(b) : 0));
}

/** Orders a merged list: `patchItems` by `patchOrder`, `serverOnly` by `serverOrder`, then interleaves. */
export function orderMergedList(
  patchItems: readonly unknown[], serverOnly: readonly unknown[],
  patchOrder: readonly unknown[], serverOrder: readonly unknown[], identity: ItemIdentity,
): unknown[] {
  const right = sortBy(patchItems, patchOrder, identity);
  const left = sortBy(serverOnly, serverOrder, identity);
  const server = positions(serverOrder, identity);
  const at = (item: unknown): number => server.get(identity(item) ?? '') ?? -1;
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const l = at(left[i]);
      const r = at(right[j]);
      out.push(l >= 0 && r >= 0 && l < r ? left[i++] : right[j++]);
    }
  }
  return out;
}
