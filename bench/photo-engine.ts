/** What the bench worker needs from an engine: loaded models, and photo → faces with laps. */
import type { RgbImage } from '../src/pipeline/image.ts';
import type { StageClock } from './stage-clock.ts';

export interface PhotoEngine {
  /** Load time per model or net, in milliseconds. */
  readonly modelLoadMs: Readonly<Record<string, number>>;
  /** Detects and describes every face; laps its stages on `clock`; returns the face count. */
  analyze(image: RgbImage, clock: StageClock): Promise<number>;
}
