/**
 * What the page needs to know about any embedder it can select — shipped (EMBEDDER_SPECS) or imported
 * keras-vggface (VGGFACE_MODELS) — without loading it: its name, embedding size, metric and default
 * threshold. One place, so scoring, the gallery file and the UI never index EMBEDDER_SPECS with an
 * imported id. tfjs-free: the page bundle imports it.
 */
import { VGGFACE_MODELS, type VggfaceModelFacts } from '../pipeline/embedders/vggface/facts.ts';
import {
  type AnyEmbedderId,
  EMBEDDER_SPECS,
  type ImportedEmbedderId,
  isEmbedderId,
  isImportedEmbedderId,
  thresholdFor,
} from './embedders.ts';
import type { DistanceMetric } from './specs.ts';

export interface EmbedderFacts {
  readonly id: AnyEmbedderId;
  /** Long title, e.g. "MobileFaceNet (192-d, ArcFace 112×112 alignment)". */
  readonly title: string;
  /** Short name for messages, e.g. "MobileFaceNet" or "VGGFace2 ResNet-50 (imported)". */
  readonly name: string;
  readonly dim: number;
  readonly metric: DistanceMetric;
  /** Same person iff distance ≤ this, in `metric`. */
  readonly defaultThreshold: number;
}

const importedFacts = (id: ImportedEmbedderId): VggfaceModelFacts => {
  const facts = Object.values(VGGFACE_MODELS).find((m) => m.id === id);
  // Unreachable while VGGFACE_MODELS has one entry per ImportedEmbedderId (embedder-facts.test.ts).
  if (facts === undefined) throw new Error(`no keras-vggface facts for ${id}`);
  return facts;
};

export function embedderFacts(id: AnyEmbedderId): EmbedderFacts {
  if (isEmbedderId(id)) {
    const spec = EMBEDDER_SPECS[id];
    return {
      id,
      title: spec.title,
      name: spec.title.split(' (')[0] ?? spec.title,
      dim: spec.dim,
      metric: spec.metric,
      defaultThreshold: thresholdFor(id, spec.metric),
    };
  }
  const facts = importedFacts(id);
  return {
    id,
    // The recipe's models are compared by cosine distance (1 − cos) at its threshold (docs/vggface.md).
    title: `${facts.label}: keras-vggface, ${facts.embeddingSize}-d, cosine`,
    name: facts.label,
    dim: facts.embeddingSize,
    metric: 'cosine',
    defaultThreshold: facts.cosineDistanceThreshold,
  };
}

/** A shipped or imported embedder id (e.g. the model recorded in a gallery file). */
export const isAnyEmbedderId = (id: string): id is AnyEmbedderId =>
  isEmbedderId(id) || isImportedEmbedderId(id);
