import { cpus, freemem, totalmem } from 'node:os';

/**
 * MLflow's system metric names (mlflow/system_metrics/metrics/cpu_monitor.py and process_monitor.py,
 * published with the `system/` prefix by system_metrics_monitor.py).
 *
 * @example metrics[SystemMetricNames.CPU] // 12.5
 */
export const SystemMetricNames = {
  CPU: 'system/cpu_utilization_percentage',
  MEMORY_MB: 'system/system_memory_usage_megabytes',
  MEMORY_PERCENT: 'system/system_memory_usage_percentage',
  PROCESS_RSS_MB: 'system/process_memory_rss_megabytes',
  PROCESS_CPU: 'system/process_cpu_percentage',
} as const;

interface CpuTimes {
  idle: number;
  total: number;
}

/**
 * Reads the machine and this process the way MLflow's monitors read them through psutil, each reading
 * covering the time since the previous one:
 * - CPU %: busy share of all cores' time from `os.cpus()` tick counters, as `psutil.cpu_percent()`
 *   (system-wide, since the last call). Not `os.loadavg()`: a load average is a run-queue length over
 *   1–15 minutes, not a percentage, and is always 0 on Windows.
 * - memory used: `totalmem - freemem`; Node's free memory is the kernel's MemAvailable on Linux, so this
 *   is psutil's `total - available`, in MB of 10^6 bytes as MLflow divides.
 * - process RSS and CPU % (user + system time over wall time; can pass 100 on several cores, as psutil's).
 * Values are rounded to one decimal, as MLflow's aggregation does.
 *
 * @example const probe = new SystemProbe(); …; probe.read(); // { 'system/cpu_utilization_percentage': 7.3, … }
 */
export class SystemProbe {
  private cpu: CpuTimes;
  private processCpu: NodeJS.CpuUsage;
  private at: bigint;

  constructor() {
    this.cpu = cpuTimes();
    this.processCpu = process.cpuUsage();
    this.at = process.hrtime.bigint();
  }

  /** One reading; CPU figures cover the time since the previous reading (or since construction). */
  read(): Record<string, number> {
    const cpu = cpuTimes();
    const processCpu = process.cpuUsage();
    const at = process.hrtime.bigint();
    const totalDelta = cpu.total - this.cpu.total;
    const busy = totalDelta > 0 ? (1 - (cpu.idle - this.cpu.idle) / totalDelta) * 100 : 0;
    const elapsedMicros = Number(at - this.at) / 1000;
    const processMicros = processCpu.user - this.processCpu.user + (processCpu.system - this.processCpu.system);
    this.cpu = cpu;
    this.processCpu = processCpu;
    this.at = at;
    const total = totalmem();
    const used = total - freemem();
    return {
      [SystemMetricNames.CPU]: round1(clamp(busy, 0, 100)),
      [SystemMetricNames.MEMORY_MB]: round1(used / 1e6),
      [SystemMetricNames.MEMORY_PERCENT]: round1((used / total) * 100),
      [SystemMetricNames.PROCESS_RSS_MB]: round1(process.memoryUsage.rss() / 1e6),
      [SystemMetricNames.PROCESS_CPU]: round1(elapsedMicros > 0 ? Math.max(0, (processMicros / elapsedMicros) * 100) : 0),
    };
  }
}

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
