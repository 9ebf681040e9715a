/**
 * Everything the user is working on in this tab: the photos they added (by role), where each one is
 * in the worker queue, the chosen model and threshold, verification scores and the gallery of
 * people. Created per app (createSessionStore) and handed down through React context, like the
 * engine store. Photos stay in memory only; nothing is uploaded, and nothing is stored unless the
 * user saves the gallery.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';
import { createStore, type StoreApi } from 'zustand';
import { checkFileSize } from '../io/input-policy.ts';
import { type AnyEmbedderId, DEFAULT_EMBEDDER } from '../models/embedders.ts';
import type { AnalysisStage, PhotoProblem } from '../worker/api.ts';
import type { EngineClient } from '../worker/client.ts';
import { afterEngineFailure, engineGaveUpProblem } from './engine-retry.ts';
import { cleanName, type Person, pickFace, renamePerson } from './gallery.ts';
import type { GalleryFile } from './gallery-file.ts';
import { isInFlight, type Photo, type PhotoRole, type PhotoStatus } from './photo.ts';
import { createWorkQueue, type QueueProgress } from './queue.ts';
import { createRenderBatcher, type FrameScheduler, nextFrame } from './render-batcher.ts';
import { createScorer, defaultThreshold, type Scores } from './scoring.ts';

export interface QueueState {
  /** The photo in the worker, if any. */
  readonly currentId: string | null;
  readonly finished: number;
  readonly total: number;
}

export interface SessionState {
  readonly photos: Readonly<Record<string, Photo>>;
  /** Every photo id in the order added. */
  readonly order: readonly string[];
  readonly embedder: AnyEmbedderId;
  readonly threshold: number;
  readonly showOverlays: boolean;
  /** Verification: nearest reference face per face of each analysed test photo. */
  readonly scores: Scores;
  readonly queue: QueueState;
  readonly people: readonly Person[];

  addPhotos(role: PhotoRole, files: readonly File[], personId?: string): void;
  removePhoto(id: string): void;
  clearRole(role: PhotoRole): void;
  /** Stops after nothing: the photo in the worker is abandoned, queued ones become "cancelled". */
  cancel(): void;
  /** Queues every cancelled photo again. */
  resume(): void;
  /** Re-analyses every photo with the new model and resets the threshold to its default. */
  setEmbedder(id: AnyEmbedderId): void;
  setThreshold(value: number): void;
  setShowOverlays(show: boolean): void;

  addPerson(name: string): string | null;
  renamePerson(id: string, name: string): void;
  removePerson(id: string): void;
  pickFace(personId: string, photoId: string, faceIndex: number): void;
  /** Adds the people of a validated gallery file (same model) as stored samples. */
  importGallery(file: GalleryFile): void;
}

export interface SessionStore extends StoreApi<SessionState> {
  /**
   * `subscribe` for rendering (what `useSession` uses): user actions notify at once, worker
   * progress at most once per animation frame, so results never re-render inside a worker message.
   */
  readonly subscribeForRender: (listener: () => void) => () => void;
}

export interface SessionDeps {
  readonly client: Pick<EngineClient, 'analyzePhoto'>;
  /** Resolves once the models are loaded; photos wait in the queue until then. */
  readonly engineReady: () => Promise<void>;
  readonly objectUrls?: { create(file: File): string; revoke(url: string): void };
  /** When worker progress is rendered (default: the next animation frame). */
  readonly frames?: FrameScheduler;
}

/** References first: every test result is scored against them. */
const ROLE_PRIORITY: Readonly<Record<PhotoRole, number>> = { reference: 0, enrol: 1, test: 2, probe: 2 };

/** The path inside a chosen or dropped folder when there is one (absent outside browsers), else the name. */
const displayName = (file: File) => {
  const path: string | undefined = file.webkitRelativePath;
  return path !== undefined && path !== '' ? path : file.name;
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export function createSessionStore({
  client,
  engineReady,
  objectUrls = { create: (file) => URL.createObjectURL(file), revoke: (url) => URL.revokeObjectURL(url) },
  frames = nextFrame,
}: SessionDeps): SessionStore {
  let nextId = 0;
  const newId = (prefix: string) => `${prefix}-${++nextId}`;
  const scorer = createScorer();

  // Created before the store it watches; it subscribes to it only when the UI first renders.
  const batcher = createRenderBatcher((onChange) => store.subscribe(onChange), frames);

  const store = createStore<SessionState>()((set, get) => {
    const ordered = (state: Pick<SessionState, 'order' | 'photos'> = get()) =>
      state.order.flatMap((id) => state.photos[id] ?? []);

    /** Applies photo changes and rescores (cheap: the scorer only computes what is new). */
    const commitPhotos = (photos: Record<string, Photo>, order: readonly string[] = get().order) => {
      set({ photos, order, scores: scorer.score(ordered({ photos, order }), get().embedder) });
    };

    const setStatus = (id: string, status: PhotoStatus) => {
      const photo = get().photos[id];
      if (photo === undefined) return; // removed meanwhile
      // Status changes come from the worker's progress and results: rendered once per frame.
      batcher.defer(() => commitPhotos({ ...get().photos, [id]: { ...photo, status } }));
    };

    const fail = (id: string, problem: PhotoProblem) => setStatus(id, { kind: 'failed', problem });

    const analyze = async (id: string, signal: AbortSignal, attempt = 1): Promise<void> => {
      try {
        await engineReady();
      } catch (error) {
        fail(id, {
          code: 'engine-not-ready',
          message: `The face models could not be loaded (${messageOf(error)}), so no photo can be analysed. See “Engine status”.`,
        });
        return;
      }
      const photo = get().photos[id];
      if (photo === undefined || signal.aborted) return;
      const embedder = get().embedder;
      // A file over the size limit (or empty) is refused from File.size, never read into memory.
      const sizeProblem = checkFileSize(photo.file.size);
      if (sizeProblem !== null) return fail(id, { code: sizeProblem.code, message: sizeProblem.message });
      setStatus(id, { kind: 'decoding' });
      let bytes: ArrayBuffer;
      try {
        bytes = await photo.file.arrayBuffer();
      } catch (error) {
        fail(id, {
          code: 'unreadable',
          message: `This file could not be read (${messageOf(error)}). Check that it still exists, then add it again.`,
        });
        return;
      }
      // Stage messages travel on their own port and may arrive after the result: once the call has
      // returned, or if the photo is no longer in the worker, they are stale and ignored.
      let returned = false;
      const onStage = (stage: AnalysisStage) => {
        const current = get().photos[id]?.status.kind;
        if (returned || signal.aborted || stage === 'decoding') return;
        if (current === 'decoding' || current === 'analyzing') setStatus(id, { kind: 'analyzing', stage });
      };
      try {
        const analysis = await client
          .analyzePhoto({ name: photo.name, bytes }, { embedder }, { signal, onStage })
          .finally(() => {
            returned = true;
          });
        if (signal.aborted) return;
        if (!analysis.ok) return fail(id, analysis.problem);
        const { width, height, faces, timings } = analysis;
        setStatus(id, {
          kind: 'done',
          result: { embedder: analysis.embedder, width, height, faces, timings },
        });
      } catch (error) {
        if (isAbort(error)) return;
        // The worker died or lost its GPU mid-photo: once the engine is back, send it again.
        const next = afterEngineFailure(error, attempt);
        if (next === 'resend') {
          setStatus(id, { kind: 'queued' });
          return analyze(id, signal, attempt + 1);
        }
        if (next === 'give-up') return fail(id, engineGaveUpProblem());
        fail(id, {
          code: 'analysis-failed',
          message: `The analysis stopped unexpectedly (${messageOf(error)}). Reload the page and add this photo again.`,
        });
      }
    };

    const queue = createWorkQueue<string>({
      run: analyze,
      onProgress: (p: QueueProgress<string>) =>
        batcher.defer(() => set({ queue: { currentId: p.current, finished: p.finished, total: p.total } })),
    });

    /** Queues photos, references ahead of everything still waiting. */
    const enqueue = (ids: readonly string[]) => {
      const photos = get().photos;
      const byPriority = [...ids].sort(
        (a, b) => ROLE_PRIORITY[photos[a]?.role ?? 'test'] - ROLE_PRIORITY[photos[b]?.role ?? 'test'],
      );
      const first = byPriority.filter((id) => photos[id]?.role === 'reference');
      const rest = byPriority.filter((id) => photos[id]?.role !== 'reference');
      queue.enqueue(first, { front: true });
      queue.enqueue(rest);
    };

    const removePhotos = (ids: ReadonlySet<string>) => {
      if (ids.size === 0) return;
      const { currentId } = get().queue;
      queue.remove((id) => ids.has(id));
      if (currentId !== null && ids.has(currentId)) {
        // Abandon the photo in the worker but keep the rest of the queue going.
        const rest = queue.cancel().filter((id) => !ids.has(id));
        queue.enqueue(rest);
      }
      const photos = { ...get().photos };
      for (const id of ids) {
        const photo = photos[id];
        if (photo !== undefined) objectUrls.revoke(photo.url);
        delete photos[id];
      }
      const people = get().people.map((p) =>
        p.photoIds.some((id) => ids.has(id))
          ? { ...p, photoIds: p.photoIds.filter((id) => !ids.has(id)) }
          : p,
      );
      set({ people });
      commitPhotos(
        photos,
        get().order.filter((id) => !ids.has(id)),
      );
    };

    return {
      photos: {},
      order: [],
      embedder: DEFAULT_EMBEDDER,
      threshold: defaultThreshold(DEFAULT_EMBEDDER),
      showOverlays: true,
      scores: new Map(),
      queue: { currentId: null, finished: 0, total: 0 },
      people: [],

      addPhotos(role, files, personId) {
        if (files.length === 0) return;
        if ((role === 'enrol') !== (personId !== undefined))
          throw new Error('enrol photos, and only they, need a person');
        const added: Photo[] = files.map((file) => ({
          id: newId('photo'),
          name: displayName(file),
          role,
          personId: personId ?? null,
          file,
          url: objectUrls.create(file),
          status: { kind: 'queued' },
        }));
        const photos = { ...get().photos };
        for (const p of added) photos[p.id] = p;
        if (personId !== undefined) {
          set({
            people: get().people.map((p) =>
              p.id === personId ? { ...p, photoIds: [...p.photoIds, ...added.map((a) => a.id)] } : p,
            ),
          });
        }
        commitPhotos(photos, [...get().order, ...added.map((p) => p.id)]);
        enqueue(added.map((p) => p.id));
      },

      removePhoto(id) {
        removePhotos(new Set([id]));
      },

      clearRole(role) {
        removePhotos(
          new Set(
            ordered()
              .filter((p) => p.role === role)
              .map((p) => p.id),
          ),
        );
      },

      cancel() {
        const dropped = new Set(queue.cancel());
        const photos = { ...get().photos };
        for (const id of dropped) {
          const photo = photos[id];
          if (photo !== undefined && isInFlight(photo.status))
            photos[id] = { ...photo, status: { kind: 'cancelled' } };
        }
        commitPhotos(photos);
      },

      resume() {
        const cancelled = ordered().filter((p) => p.status.kind === 'cancelled');
        const photos = { ...get().photos };
        for (const p of cancelled) photos[p.id] = { ...p, status: { kind: 'queued' } };
        commitPhotos(photos);
        enqueue(cancelled.map((p) => p.id));
      },

      setEmbedder(id) {
        if (id === get().embedder) return;
        queue.cancel();
        // Input problems do not depend on the model: only results (and unfinished work) are redone.
        const redo = ordered().filter(
          (p) => p.status.kind !== 'failed' || p.status.problem.code === 'analysis-failed',
        );
        const photos = { ...get().photos };
        for (const p of redo) photos[p.id] = { ...p, status: { kind: 'queued' } };
        set({ embedder: id, threshold: defaultThreshold(id) });
        commitPhotos(photos);
        enqueue(redo.map((p) => p.id));
      },

      setThreshold(value) {
        if (Number.isFinite(value) && value >= 0) set({ threshold: value });
      },

      setShowOverlays(show) {
        set({ showOverlays: show });
      },

      addPerson(name) {
        const clean = cleanName(name);
        if (clean === '') return null;
        const id = newId('person');
        set({ people: [...get().people, { id, name: clean, photoIds: [], picks: {}, stored: [] }] });
        return id;
      },

      renamePerson(id, name) {
        set({ people: renamePerson(get().people, id, name) });
      },

      removePerson(id) {
        const person = get().people.find((p) => p.id === id);
        if (person === undefined) return;
        removePhotos(new Set(person.photoIds));
        set({ people: get().people.filter((p) => p.id !== id) });
      },

      pickFace(personId, photoId, faceIndex) {
        set({ people: pickFace(get().people, personId, photoId, faceIndex) });
      },

      importGallery(file) {
        const imported: Person[] = file.people.map((p) => ({
          id: newId('person'),
          name: p.name,
          photoIds: [],
          picks: {},
          stored: p.embeddings.map((e) => ({
            id: newId('sample'),
            model: file.model,
            embedding: Float32Array.from(e),
          })),
        }));
        set({ people: [...get().people, ...imported] });
      },
    };
  });
  return Object.assign(store, { subscribeForRender: batcher.subscribe });
}

export const SessionStoreContext = createContext<SessionStore | null>(null);

/** Reads a slice of the session from the nearest SessionStoreContext provider. */
export function useSession<T>(selector: (state: SessionState) => T): T {
  const store = useContext(SessionStoreContext);
  if (store === null) throw new Error('useSession needs a <SessionStoreContext> provider');
  // zustand's useStore, subscribed through the render batcher.
  return useSyncExternalStore(store.subscribeForRender, () => selector(store.getState()));
}

/** The store itself, for event handlers that act without subscribing. */
export function useSessionStore(): SessionStore {
  const store = useContext(SessionStoreContext);
  if (store === null) throw new Error('useSessionStore needs a <SessionStoreContext> provider');
  return store;
}
