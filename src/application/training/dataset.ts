import { ValidationError } from '../../domain/errors';
import { CpuSlice } from './cpu-slice';
import { gaussian, mulberry32 } from './prng';

/** A numeric table: one row per sample, columns named by `featureNames`, and the value to predict. */
export interface Dataset {
  featureNames: string[];
  /** Name of the predicted column (`demand` for the synthetic data). */
  target: string;
  /** `features[i][j]` is feature `featureNames[j]` of sample `i`. */
  features: number[][];
  targets: number[];
}

/** Columns of the synthetic bike-demand data, in order. */
export const BIKE_DEMAND_FEATURES = ['hour', 'temperature', 'humidity', 'windspeed', 'workingday', 'holiday', 'rush_hour'] as const;
export const BIKE_DEMAND_TARGET = 'demand';

/**
 * Hourly bike rentals, invented but shaped like the UCI bike-sharing data: warm, dry, calm hours and
 * commuting peaks on working days rent more bikes. Everything comes from `seed`, so the same seed gives
 * the same table byte for byte. Gives the event loop a turn every few ms through `slice` (and stops with
 * JobInterruptedError once its signal aborts), so a large table never holds up a signal.
 *
 * @example
 * const data = await generateBikeDemand(42, 500);
 * data.featureNames; // ['hour', 'temperature', …]
 */
export async function generateBikeDemand(seed: number, rows: number, slice = new CpuSlice()): Promise<Dataset> {
  if (!Number.isInteger(rows) || rows < 1) {
    throw new ValidationError(`rows must be a whole number >= 1, got ${rows}.`, undefined, { details: { rows } });
  }
  const rand = mulberry32(seed);
  const features: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < rows; i++) {
    if ((i & 1023) === 1023 && slice.due()) await slice.pause();
    const hour = Math.floor(rand() * 24);
    const weekday = Math.floor(rand() * 7);
    const holiday = rand() < 0.03 ? 1 : 0;
    const workingday = weekday < 5 && holiday === 0 ? 1 : 0;
    const rushHour = workingday === 1 && ((hour >= 7 && hour <= 9) || (hour >= 16 && hour <= 19)) ? 1 : 0;
    // a warmer afternoon than night, plus weather noise
    const temperature = round(12 + 8 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + 6 * gaussian(rand), 1);
    const humidity = round(clamp(0.65 - 0.01 * (temperature - 12) + 0.12 * gaussian(rand), 0.1, 1), 2);
    const windspeed = round(clamp(12 + 6 * gaussian(rand), 0, 45), 1);
    const demand =
      40 +
      6 * temperature -
      90 * humidity -
      1.2 * windspeed +
      2.5 * hour +
      25 * workingday -
      20 * holiday +
      120 * rushHour +
      15 * gaussian(rand);
    features.push([hour, temperature, humidity, windspeed, workingday, holiday, rushHour]);
    targets.push(round(Math.max(0, demand), 1));
  }
  return { featureNames: [...BIKE_DEMAND_FEATURES], target: BIKE_DEMAND_TARGET, features, targets };
}

/** Mean and standard deviation of the target: a summary logged with every run. */
export function summarizeDataset(data: Dataset): { rows: number; features: number; targetMean: number; targetStd: number } {
  const n = data.targets.length;
  const mean = data.targets.reduce((a, b) => a + b, 0) / n;
  const variance = data.targets.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return { rows: n, features: data.featureNames.length, targetMean: mean, targetStd: Math.sqrt(variance) };
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
