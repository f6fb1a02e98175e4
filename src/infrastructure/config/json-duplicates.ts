/** Where a JSON object repeats a key: its dotted key path and the offset of the second occurrence. */
export interface DuplicateJsonKey {
  keyPath: string;
  offset: number;
}

/**
 * Finds the first repeated key inside one JSON object of `text` (already known to be valid JSON).
 * JSON.parse silently keeps the last value; YAML files refuse duplicates, and JSON files must too.
 * A single pass with an explicit stack (no recursion): a string right after `{` or `,` inside an object
 * is a key. Stops looking below `maxDepth` (the caller refuses such files anyway).
 *
 * @example findDuplicateJsonKey('{"job": {"epochs": 1, "epochs": 2}}', 64); // { keyPath: 'job.epochs', offset: 22 }
 */
export function findDuplicateJsonKey(text: string, maxDepth: number): DuplicateJsonKey | undefined {
  type Frame = { object: boolean; keys: Set<string>; expectKey: boolean; key?: string };
  const stack: Frame[] = [];
  const keyPath = (last: string): string => [...stack.slice(0, -1).map((f) => f.key ?? ''), last].join('.');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) return { keyPath: keyPath(key), offset: start };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
    } else if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) return undefined;
      stack.push({ object: c === '{', keys: new Set(), expectKey: c === '{', key: c === '[' ? '0' : undefined });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
      else if (top) top.key = String(Number(top.key) + 1);
    }
  }
  return undefined;
}
