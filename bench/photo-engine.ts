/** What the bench worker needs from an engine: loaded models, and photo → faces with laps. */
import type { RgbImage } from '../src/pipeline/image.ts';
import type { EngineSettled } from './protocol.ts';
import type { StageClock } from './stage-clock.ts';

export interface PhotoEngine {
  /** Load time per model or net, in milliseconds. */
  readonly modelLoadMs: Readonly<Record<string, number>>;
  /**
   * Resolves once the engine has done everything it does after ready on its own: FaceCheck loads its
   * background models, its second engine's nets and runs its warm-up pass (src/pipeline/warm-up.ts).
   * The first photo is sent after it, as a user's first photo usually is.
   */
  settled(): Promise<EngineSettled>;
  /** Live tensors in the engine's second engine (docs/offload.md); null when it has none. */
  secondEngineTensors?(): Promise<number | null>;
  /** Detects and describes every face; laps its stages on `clock`; returns the face count. */
  analyze(image: RgbImage, clock: StageClock): Promise<number>;
}
