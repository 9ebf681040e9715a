/**
 * Which face-recognition model measures the faces. Switching re-analyses every photo (embeddings of
 * different models cannot be compared) and resets the threshold to the new model's default. Imported
 * keras-vggface models (AddModel's list) are offered in their own group.
 */
import { useCallback, useId, useState } from 'react';
import { embedderFacts, isAnyEmbedderId } from '../models/embedder-facts.ts';
import {
  DEFAULT_EMBEDDER,
  EMBEDDER_IDS,
  type EmbedderId,
  isImportedEmbedderId,
} from '../models/embedders.ts';
import type { ImportedModelInfo } from '../state/imported-models.ts';
import { useSession, useSessionStore } from '../state/session-store.ts';
import type { EngineClient } from '../worker/client.ts';
import { AddModel } from './AddModel.tsx';

const SHORT_TITLES: Readonly<Record<EmbedderId, string>> = {
  mobilefacenet: 'MobileFaceNet (default)',
  facerecognitionnet: 'FaceRecognitionNet (dlib ResNet)',
};

/** With `client`, "Add model…" imports keras-vggface .h5 files (not in the kiosk, which stores nothing). */
export function ModelPicker({ client }: { readonly client?: Pick<EngineClient, 'call'> } = {}) {
  const embedder = useSession((s) => s.embedder);
  const setEmbedder = useSession((s) => s.setEmbedder);
  const store = useSessionStore();
  const id = useId();
  const [imported, setImported] = useState<readonly ImportedModelInfo[]>([]);
  // Stable (AddModel refreshes on its change). A removed imported model that is selected falls back
  // to the default, so the session never names a model the worker can no longer load.
  const onListed = useCallback(
    (models: readonly ImportedModelInfo[]) => {
      setImported(models);
      const { embedder: current, setEmbedder: select } = store.getState();
      if (isImportedEmbedderId(current) && !models.some((m) => m.id === current)) select(DEFAULT_EMBEDDER);
    },
    [store],
  );
  return (
    <div className="model-picker">
      <label htmlFor={id}>Model</label>
      <select
        id={id}
        value={embedder}
        title={embedderFacts(embedder).title}
        data-testid="model-picker"
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isAnyEmbedderId(value)) setEmbedder(value);
        }}
      >
        {EMBEDDER_IDS.map((e) => (
          <option key={e} value={e}>
            {SHORT_TITLES[e]}
          </option>
        ))}
        {imported.length > 0 && (
          <optgroup label="Imported">
            {imported.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {client !== undefined && <AddModel client={client} onListed={onListed} />}
    </div>
  );
}
