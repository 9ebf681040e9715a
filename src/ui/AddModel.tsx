/**
 * "Add model…": imports the user's own keras-vggface .h5 file (e.g. rcmalli_vggface_tf_notop_resnet50.h5)
 * in the worker, which parses, converts and stores it in this browser (IndexedDB), and lists the imported
 * models with a Remove button. Never shown in the kiosk, which stores nothing. docs/vggface.md.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useEngineState } from '../state/engine-store.ts';
import {
  type ImportedModelInfo,
  importModelFile,
  listImportedModels,
  type ModelImportProgress,
  removeImportedModel,
} from '../state/imported-models.ts';
import type { EngineClient } from '../worker/client.ts';

const STAGE_TEXT = {
  reading: 'Reading',
  converting: 'Converting',
  storing: 'Saving in this browser',
} as const;

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export interface AddModelProps {
  readonly client: Pick<EngineClient, 'call'>;
  /** Told the list after every refresh (load, import, remove), so the picker can offer them; keep it stable. */
  readonly onListed?: (models: readonly ImportedModelInfo[]) => void;
}

export function AddModel({ client, onListed }: AddModelProps) {
  const ready = useEngineState((s) => s.phase === 'ready');
  const input = useRef<HTMLInputElement>(null);
  const halfId = useId();
  const [float16, setFloat16] = useState(false);
  const [progress, setProgress] = useState<ModelImportProgress | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const [models, setModels] = useState<readonly ImportedModelInfo[]>([]);

  const refresh = useCallback(async () => {
    try {
      const listed = await listImportedModels(client);
      setModels(listed);
      onListed?.(listed);
    } catch (error) {
      setMessage({ kind: 'error', text: `Imported models could not be listed (${String(error)}).` });
    }
  }, [client, onListed]);

  useEffect(() => {
    if (ready) void refresh();
  }, [ready, refresh]);

  const importFile = async (file: File) => {
    setMessage(null);
    setProgress({ stage: 'reading', fraction: 0 });
    const result = await importModelFile(client, file, float16 ? 'float16' : 'float32', setProgress);
    setProgress(null);
    setMessage(
      result.ok
        ? {
            kind: 'done',
            text: `Added ${result.model.label} (${megabytes(result.model.bytes)}, ${result.model.storage}).`,
          }
        : { kind: 'error', text: `${file.name} was not added: ${result.message}` },
    );
    await refresh();
  };

  const remove = async (model: ImportedModelInfo) => {
    const error = await removeImportedModel(client, model.id);
    setMessage(
      error === null ? { kind: 'done', text: `Removed ${model.label}.` } : { kind: 'error', text: error },
    );
    await refresh();
  };

  const busy = progress !== null;
  return (
    <div className="add-model" data-testid="add-model">
      <button
        type="button"
        className="button small secondary"
        disabled={!ready || busy}
        title="Import a keras-vggface .h5 weights file (VGG16, ResNet-50 or SENet-50); it stays in this browser"
        onClick={() => input.current?.click()}
      >
        Add model…
      </button>
      <input
        ref={input}
        type="file"
        accept=".h5,.hdf5"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="add-model-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = ''; // the same file can be chosen again
          if (file !== undefined) void importFile(file);
        }}
      />
      <input
        id={halfId}
        type="checkbox"
        checked={float16}
        disabled={busy}
        onChange={(e) => setFloat16(e.currentTarget.checked)}
      />
      <label
        htmlFor={halfId}
        title="Stores the weights at half size; embeddings move by ~6e-4 (docs/vggface.md)"
      >
        float16
      </label>
      {progress !== null && (
        <span role="status" data-testid="add-model-progress">
          {STAGE_TEXT[progress.stage]}
          {progress.stage === 'reading' && (
            <>
              {' '}
              <progress value={progress.fraction} max={1} aria-label="Reading the model file" />
            </>
          )}
        </span>
      )}
      {message !== null && (
        <span role={message.kind === 'error' ? 'alert' : 'status'} data-testid={`add-model-${message.kind}`}>
          {message.text}
        </span>
      )}
      {models.length > 0 && (
        <ul className="imported-models" data-testid="imported-models" aria-label="Imported models">
          {models.map((m) => (
            <li key={m.id} data-model-id={m.id} data-origin={m.origin}>
              {m.label} · {m.storage} · {megabytes(m.bytes)}
              {m.origin === 'browser' ? (
                <>
                  {' '}
                  <button type="button" className="link-button danger" onClick={() => void remove(m)}>
                    Remove
                  </button>
                </>
              ) : (
                ' · from the command line'
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
