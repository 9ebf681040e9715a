/**
 * Issue 9: the page refuses an oversized or empty file from `File.size`, without reading it into
 * memory or sending it to the worker, and the next photo still goes to the worker.
 */
import { describe, expect, it } from 'vitest';
import type { PhotoAnalysis, PhotoInput } from '../worker/api.ts';
import { createSessionStore } from './session-store.ts';

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A File that claims `size` bytes and records whether anything read it. */
function fileOfSize(name: string, size: number) {
  const file = new File([new Uint8Array([1, 2, 3])], name);
  const reads: string[] = [];
  Object.defineProperty(file, 'size', { value: size });
  for (const method of ['arrayBuffer', 'text', 'stream', 'bytes'] as const) {
    Object.defineProperty(file, method, {
      value: () => {
        reads.push(method);
        throw new Error(`${name} must not be read`);
      },
    });
  }
  return { file, reads };
}

describe('session store input limits', () => {
  it('refuses a 200 MB file and an empty one unread; the next photo is analysed', async () => {
    const sent: string[] = [];
    const store = createSessionStore({
      client: {
        analyzePhoto: (photo: PhotoInput): Promise<PhotoAnalysis> => {
          sent.push(photo.name);
          return Promise.resolve({ ok: false, problem: { code: 'not-an-image', message: 'x' } });
        },
      },
      engineReady: () => Promise.resolve(),
      objectUrls: { create: (f) => `blob:${f.name}`, revoke: () => {} },
    });
    const huge = fileOfSize('huge.jpg', 200 * 1024 * 1024);
    const empty = fileOfSize('empty.jpg', 0);
    store.getState().addPhotos('test', [huge.file, empty.file, new File(['abc'], 'next.jpg')]);
    for (let i = 0; i < 5; i++) await settle();

    const problemOf = (name: string) => {
      const status = Object.values(store.getState().photos).find((p) => p.name === name)?.status;
      return status?.kind === 'failed' ? status.problem : null;
    };
    expect(problemOf('huge.jpg')).toEqual({
      code: 'too-large-file',
      message:
        'This file is 200 MB; FaceCheck accepts files up to 64 MB. Save a smaller or more compressed copy and add that.',
    });
    expect(problemOf('empty.jpg')?.code).toBe('empty');
    expect([...huge.reads, ...empty.reads]).toEqual([]);
    expect(sent).toEqual(['next.jpg']);
  });
});
