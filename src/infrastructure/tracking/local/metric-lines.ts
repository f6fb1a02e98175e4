import type { Metric } from '../../../domain/model/run';
import { corrupt } from './meta-yaml';
import { formatPythonFloat, isPythonFloat, parsePythonFloat } from './python-float';

/**
 * One metric value per line, `<timestamp_ms> <value> <step>\n`, the value as Python prints a float, as
 * MLflow's file store writes `metrics/<key>`.
 *
 * @example formatMetricLines([{ key: 'rmse', value: 1, timestamp: 1700000000000, step: 0 }]) // '1700000000000 1.0 0\n'
 */
export function formatMetricLines(metrics: Metric[]): string {
  return metrics.map((m) => `${m.timestamp} ${formatPythonFloat(m.value)} ${m.step}\n`).join('');
}

/** Parses a metric file; a malformed line is a StoreCorruptError naming the file and line. */
export function parseMetricLines(text: string, key: string, file: string): Metric[] {
  const metrics: Metric[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const parts = line.split(' ');
    const [timestamp, value, step = '0'] = parts;
    if ((parts.length !== 2 && parts.length !== 3) || !/^-?\d+$/.test(timestamp!) || !isPythonFloat(value!) || !/^-?\d+$/.test(step)) {
      throw corrupt(file, `line ${index + 1} is ${JSON.stringify(raw)}, expected "<timestamp_ms> <value> <step>"`);
    }
    metrics.push({ key, value: parsePythonFloat(value!), timestamp: Number(timestamp), step: Number(step) });
  }
  return metrics;
}
