/**
 * Which face-recognition model measures the faces. Switching re-analyses every photo (embeddings of
 * different models cannot be compared) and resets the threshold to the new model's default.
 */
import { useId } from 'react';
import { EMBEDDER_IDS, EMBEDDER_SPECS, type EmbedderId, isEmbedderId } from '../models/embedders.ts';
import { useSession } from '../state/session-store.ts';

const SHORT_TITLES: Readonly<Record<EmbedderId, string>> = {
  mobilefacenet: 'MobileFaceNet (default)',
  facerecognitionnet: 'FaceRecognitionNet (dlib ResNet)',
};

export function ModelPicker() {
  const embedder = useSession((s) => s.embedder);
  const setEmbedder = useSession((s) => s.setEmbedder);
  const id = useId();
  return (
    <div className="model-picker">
      <label htmlFor={id}>Model</label>
      <select
        id={id}
        value={embedder}
        title={EMBEDDER_SPECS[embedder].title}
        data-testid="model-picker"
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isEmbedderId(value)) setEmbedder(value);
        }}
      >
        {EMBEDDER_IDS.map((e) => (
          <option key={e} value={e}>
            {SHORT_TITLES[e]}
          </option>
        ))}
      </select>
    </div>
  );
}
