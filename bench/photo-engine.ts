/** What the bench worker needs from an engine: loaded models, and photo → faces with laps. */
import type { RgbImage } from '../src/pipeline/image.ts';
import type { StageClock } from './stage-clock.ts';

export interface PhotoEngine {
  /** Load time per model or net, in milliseconds. */
  readonly modelLoadMs: Readonly<Record<string, number>>;
  /**
   * Resolves once the engine has loaded everything it will load, including models that load after
   * ready (FaceCheck's background models): memory baselines wait for it, timings never do.
   */
  settled(): Promise<void>;
  /** Live tensors in the engine's second engine (docs/offload.md); null when it has none. */
  secondEngineTensors?(): Promise<number | null>;
  /** Detects and describes every face; laps its stages on `clock`; returns the face count. */
  analyze(image: RgbImage, clock: StageClock): Promise<number>;
}
