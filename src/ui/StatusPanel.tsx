/**
 * Shows what the inference worker is doing: backend and GL renderer, per-model load progress with
 * sizes and timings, and an error card that names the failing model and the command that fixes it.
 * The details fold away once the engine is ready (the header's indicator then tells the backend);
 * they stay open while loading and on error, and the user can open or close them at any time.
 */
import { type ReactNode, useId, useState } from 'react';
import {
  describeNotice,
  type EngineError,
  type EngineState,
  type ModelProgress,
  useEngineState,
} from '../state/engine-store.ts';
import type { BackendInfo, SecondEngineState } from '../worker/api.ts';
import type { EngineClient } from '../worker/client.ts';
import { BackendOverride } from './BackendOverride.tsx';
import { useSecondEngineState } from './useSecondEngineState.ts';

const BACKEND_LABELS: Record<BackendInfo['backend'], string> = {
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'CPU',
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const STATE_LABELS: Record<ModelProgress['state'], string> = {
  pending: 'Waiting',
  loading: 'Loading…',
  loaded: 'Loaded',
  failed: 'Failed',
};

function phaseLabel(state: EngineState, loadedCount: number): string {
  switch (state.phase) {
    case 'starting':
      return 'Starting the engine…';
    case 'loading':
      return `Loading models ${loadedCount}/${state.models.length}`;
    case 'ready':
      return 'Ready';
    case 'error':
      return 'Failed';
  }
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * Whether a second engine was started (the status, fixed at start-up) and, once asked, what it does
 * now (`live`): it can stop for good later, and the photos then run on one core.
 */
function SecondEngineField({
  info,
  live,
}: {
  info: BackendInfo;
  live: SecondEngineState | null | undefined;
}) {
  const phase = !info.secondEngine || live === null ? 'off' : (live?.phase ?? 'running');
  const label = { off: 'Off', starting: 'Starting', running: 'On', stopped: 'Stopped' }[phase];
  let detail: string;
  if (live?.phase === 'stopped') {
    detail = `· it failed (${live.reason}); photos go on on one core, with the same results, more slowly`;
  } else if (phase === 'starting') {
    detail = '· loading its own copy of the models; photos run on one core until then';
  } else if (phase === 'running') {
    const pieces = live?.phase === 'running' ? ` · ${live.answered} pieces computed so far` : '';
    detail = `· a second worker on another core runs half of each photo${pieces}`;
  } else {
    detail = info.backend === 'webgl' ? '· WebGL computes on the GPU' : '· this device has one core';
  }
  return (
    <Field label="Second engine">
      <span
        data-testid="second-engine"
        data-phase={phase}
        className={phase === 'stopped' ? 'badge badge-warn' : undefined}
      >
        {label}
      </span>
      <span className="muted" data-testid="second-engine-detail">
        {detail}
      </span>
    </Field>
  );
}

function BackendFields({
  info,
  tfjsVersion,
  secondEngine,
}: {
  info: BackendInfo;
  tfjsVersion: string | null;
  secondEngine: SecondEngineState | null | undefined;
}) {
  return (
    <dl className="fields">
      <Field label="Backend">
        <span data-testid="backend">{BACKEND_LABELS[info.backend]}</span>
        {info.requested !== null && info.requested !== info.backend && (
          <span className="badge badge-warn">asked for {info.requested}</span>
        )}
      </Field>
      <BackendOverride info={info} />
      {(info.backend === 'webgl' || info.renderer !== null) && (
        <Field label="GL renderer">
          <span data-testid="renderer" className="mono">
            {info.renderer ?? 'not reported'}
          </span>
          {info.isSoftwareRenderer && <span className="badge badge-warn">software (CPU-emulated)</span>}
          {info.backend !== 'webgl' && <span className="badge">not used</span>}
        </Field>
      )}
      {info.wasm !== null && (
        <Field label="WASM runtime">
          SIMD {info.wasm.simd ? 'on' : 'off'} · {info.wasm.threads} thread
          {info.wasm.threads === 1 ? '' : 's'}
        </Field>
      )}
      <SecondEngineField info={info} live={secondEngine} />
      {tfjsVersion !== null && <Field label="TensorFlow.js">{tfjsVersion}</Field>}
      {info.failures.map((f) => (
        <Field key={f.backend} label={`${BACKEND_LABELS[f.backend]} skipped`}>
          <span className="muted">{f.reason}</span>
        </Field>
      ))}
    </dl>
  );
}

function ModelRow({ model }: { model: ModelProgress }) {
  return (
    <tr data-model={model.id} data-state={model.state}>
      <th scope="row">
        {model.title}
        <code className="model-id">{model.id}</code>
      </th>
      <td className="num">{model.bytes === null ? '—' : formatBytes(model.bytes)}</td>
      <td className="num">{model.loadMs === null ? '—' : formatMs(model.loadMs)}</td>
      <td>
        <span className={`state state-${model.state}`}>{STATE_LABELS[model.state]}</span>
      </td>
    </tr>
  );
}

function ErrorCard({ error }: { error: EngineError }) {
  return (
    <div className="error-card" role="alert" data-testid="engine-error">
      <h3>
        {error.modelId === null
          ? 'The engine could not start'
          : `Model “${error.modelId}” could not be loaded`}
      </h3>
      <p>{error.message}</p>
      {error.fixCommand !== null && (
        <p>
          To fix it, run <code className="command">{error.fixCommand}</code> in the project folder, then
          reload this page.
        </p>
      )}
    </div>
  );
}

export function StatusPanel({ client }: { readonly client: Pick<EngineClient, 'call'> }) {
  const state = useEngineState((s) => s);
  const loaded = state.models.filter((m) => m.state === 'loaded');
  const loadedBytes = loaded.reduce((sum, m) => sum + (m.bytes ?? 0), 0);
  const busy = state.phase === 'starting' || state.phase === 'loading';
  const [toggled, setToggled] = useState<boolean | null>(null);
  const expanded = toggled ?? state.phase !== 'ready';
  const bodyId = useId();
  const secondEngine = useSecondEngineState(client, expanded && state.phase === 'ready');

  return (
    <section
      className="panel status-panel"
      id="engine-status"
      aria-labelledby="status-heading"
      aria-busy={busy}
    >
      <header className="panel-header">
        <h2 id="status-heading">Engine status</h2>
        <span className={`phase phase-${state.phase}`} data-testid="engine-phase" data-phase={state.phase}>
          {phaseLabel(state, loaded.length)}
        </span>
        <button
          type="button"
          className="link-button details-toggle"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={() => setToggled(!expanded)}
        >
          {expanded ? 'Hide details' : 'Show details'}
        </button>
      </header>
      {state.notice !== null && (
        // Outside the folding details: a recovered fault is told even when they are closed.
        <p
          className="engine-notice"
          role="status"
          data-testid="engine-notice"
          data-cause={state.notice.cause}
          data-rerun={state.notice.rerun}
        >
          {describeNotice(state.notice)}
        </p>
      )}
      <div id={bodyId} hidden={!expanded}>
        {state.error !== null && <ErrorCard error={state.error} />}

        {state.backend !== null && (
          <BackendFields
            info={state.backend}
            tfjsVersion={state.status?.tfjsVersion ?? null}
            secondEngine={secondEngine}
          />
        )}

        {state.totalBytes !== null && (
          <div className="progress">
            <progress value={loadedBytes} max={state.totalBytes} aria-label="Model download progress" />
            <span className="muted">
              {formatBytes(loadedBytes)} of {formatBytes(state.totalBytes)}
              {state.status !== null && ` · ready in ${formatMs(state.status.initMs)}`}
            </span>
          </div>
        )}

        <table className="models">
          <caption>Models, loaded in the background worker</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col" className="num">
                Load time
              </th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {state.models.map((model) => (
              <ModelRow key={model.id} model={model} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
