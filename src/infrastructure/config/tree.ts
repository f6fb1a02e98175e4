/**
 * Small helpers over parsed configuration trees (what YAML/JSON give: mappings, arrays, scalars).
 * Kept apart so the loader, the substitution and the error formatter agree on what a "mapping" and a
 * "key path" are.
 */
export type ConfigTree = Record<string, unknown>;
/**
 * The path to a value in a config tree: mapping keys and array indexes, e.g. `['tracking', 's3', 'region']`.
 *
 * @example const originOf = (path: KeyPath) => (path[0] === 'job' ? 'job.yaml' : 'service.yaml');
 */
export type KeyPath = ReadonlyArray<string | number>;

/** A mapping (plain object), as opposed to an array, null or a scalar. */
export function isMapping(value: unknown): value is ConfigTree {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `['tracking', 's3', 'region']` → `tracking.s3.region` (the same form `--set` accepts). */
export function formatKeyPath(path: KeyPath): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

/**
 * Deep merge of mappings: keys of `over` win; mappings merge recursively; arrays and scalars
 * (null included) replace. Inputs are not modified.
 */
export function deepMerge(base: ConfigTree, over: ConfigTree): ConfigTree {
  const out: ConfigTree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    define(out, key, isMapping(current) && isMapping(value) ? deepMerge(current, value) : cloneTree(value));
  }
  return out;
}

/** Deep copy of mappings and arrays; scalars are shared (they are immutable). */
export function cloneTree<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneTree(item)) as T;
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneTree(v)])) as T;
  }
  return value;
}

/** The value at `path`, walking mappings by key and arrays by index; `found` tells "absent" from `undefined`. */
export function lookup(tree: unknown, path: KeyPath): { found: boolean; value: unknown } {
  let node: unknown = tree;
  for (const segment of path) {
    if (Array.isArray(node)) {
      const index = typeof segment === 'number' ? segment : Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return { found: false, value: undefined };
      node = node[index];
    } else if (isMapping(node) && Object.prototype.hasOwnProperty.call(node, String(segment))) {
      node = node[String(segment)];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: node };
}

/**
 * Sets `value` at `path` in place, creating mappings on the way. A segment that meets an array must be
 * an existing index (so `job.variants.0.lr=0.1` edits one variant); anything else in the way that is
 * not a mapping or array is replaced by a fresh mapping. Returns the path to the array whose index was
 * out of range, or undefined on success.
 */
export function setAtPath(tree: ConfigTree, path: readonly string[], value: unknown): string[] | undefined {
  let node: ConfigTree | unknown[] = tree;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (Array.isArray(node)) {
      const index = /^\d+$/.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= node.length) return path.slice(0, i);
      if (last) node[index] = value;
      else {
        if (!isMapping(node[index]) && !Array.isArray(node[index])) node[index] = {};
        node = node[index] as ConfigTree | unknown[];
      }
      continue;
    }
    if (last) define(node, segment, value);
    else {
      if (!Object.hasOwn(node, segment) || (!isMapping(node[segment]) && !Array.isArray(node[segment]))) {
        define(node, segment, {});
      }
      node = node[segment] as ConfigTree | unknown[];
    }
  }
  return undefined;
}

/** Assigns an own property even for a key like `__proto__`, so config keys can never reach a prototype. */
function define(target: ConfigTree, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Removes keys whose value is null, recursively: in YAML `uri:` (empty) means "not set". */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (isMapping(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  }
  return value;
}
