/** What the numbers were measured on: machine, load, versions, commit. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { projectRoot } from './photos.ts';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly logicalCores: number;
  readonly memoryGB: number;
  readonly platform: string;
  readonly node: string;
  /** 1-minute load average when the run started; > cores means other jobs competed for the CPU. */
  readonly loadAverageAtStart: number;
  readonly commit: string | null;
}

export function machineInfo(): MachineInfo {
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: projectRoot,
      encoding: 'utf8',
    }).trim();
  } catch {
    commit = null;
  }
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    logicalCores: cpus().length,
    memoryGB: Number((totalmem() / 2 ** 30).toFixed(1)),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    loadAverageAtStart: Number((loadavg()[0] ?? 0).toFixed(2)),
    commit,
  };
}

export const currentLoad = () => Number((loadavg()[0] ?? 0).toFixed(2));
