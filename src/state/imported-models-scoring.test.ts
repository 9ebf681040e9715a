/**
 * Imported keras-vggface models in the page's logic: their metric and default threshold come from the
 * vggface facts (the recipe's cosine 0.5), scoring compares only results of the selected model, and a
 * gallery file or verification export records the imported id (round trip; other models refused).
 */
import { describe, expect, it } from 'vitest';
import { embedderFacts, isAnyEmbedderId } from '../models/embedder-facts.ts';
import { EMBEDDER_IDS, IMPORTED_EMBEDDER_IDS } from '../models/embedders.ts';
import { VGGFACE_MODELS } from '../pipeline/embedders/vggface/facts.ts';
import { buildVerificationExport } from './export.ts';
import { parseGalleryFile, toGalleryFile } from './gallery-file.ts';
import { createScorer, defaultThreshold, metricOf, thresholdMax } from './scoring.ts';
import { createSessionStore } from './session-store.ts';
import { done, face, photo, result, unitAt } from './test-fixtures.ts';

const RESNET = 'vggface2-resnet50';

describe('imported models: metric and default threshold', () => {
  it.each(Object.values(VGGFACE_MODELS))('$id: cosine at the facts threshold', (facts) => {
    expect(metricOf(facts.id)).toBe('cosine');
    expect(defaultThreshold(facts.id)).toBe(facts.cosineDistanceThreshold);
    expect(embedderFacts(facts.id)).toMatchObject({ name: facts.label, dim: facts.embeddingSize });
  });

  it('is the recipe’s 0.5, with a slider up to 1.0', () => {
    expect(defaultThreshold(RESNET)).toBe(0.5);
    expect(thresholdMax(RESNET)).toBe(1);
  });

  it('every imported id has facts, and shipped ids keep their calibration', () => {
    for (const id of IMPORTED_EMBEDDER_IDS) expect(embedderFacts(id).id).toBe(id);
    expect(defaultThreshold('mobilefacenet')).toBeCloseTo(0.6314);
    expect(metricOf('facerecognitionnet')).toBe('euclidean');
    expect([...EMBEDDER_IDS, ...IMPORTED_EMBEDDER_IDS].every(isAnyEmbedderId)).toBe(true);
    expect(isAnyEmbedderId('vggface2-resnet101')).toBe(false);
  });
});

describe('scoring with an imported model', () => {
  it('scores by cosine distance and ignores results of another model', () => {
    const photos = [
      photo('r', 'reference', done(result([face(unitAt(0))], RESNET))),
      photo('t1', 'test', done(result([face(unitAt(Math.PI / 3))], RESNET))),
      photo('t2', 'test', done(result([face(unitAt(0))], 'mobilefacenet'))),
    ];
    const scores = createScorer().score(photos, RESNET);
    expect([...scores.keys()]).toEqual(['t1']);
    // cos(60°) = 0.5, so the cosine distance is exactly at the default threshold.
    expect(scores.get('t1')?.[0]?.distance).toBeCloseTo(0.5, 6);
  });

  it('the export records the imported id, cosine and its threshold', () => {
    const photos = [
      photo('r', 'reference', done(result([face(unitAt(0))], RESNET))),
      // 1 − cos(1) ≈ 0.46 (match at 0.5) and 1 − cos(1.2) ≈ 0.64 (no match).
      photo('t', 'test', done(result([face(unitAt(1)), face(unitAt(1.2))], RESNET))),
    ];
    const scores = createScorer().score(photos, RESNET);
    const out = buildVerificationExport(photos, scores, RESNET, defaultThreshold(RESNET));
    expect(out).toMatchObject({ model: RESNET, metric: 'cosine', threshold: 0.5 });
    expect(out.photos[0]?.faces.map((f) => [f.distance, f.verdict])).toEqual([
      [0.4597, 'match'],
      [0.6376, 'no-match'],
    ]);
  });
});

describe('session store with an imported model', () => {
  it('selecting it resets the threshold to 0.5 and sends its id to the worker', async () => {
    const sent: string[] = [];
    const store = createSessionStore({
      client: {
        analyzePhoto: async (_photo, options) => {
          sent.push(options.embedder);
          return {
            ok: true,
            embedder: options.embedder,
            width: 10,
            height: 10,
            faces: [face(unitAt(0))],
            timings: { decodeMs: 1, detectMs: 1, embedMs: 1, totalMs: 3 },
          };
        },
      },
      engineReady: () => Promise.resolve(),
      objectUrls: { create: () => 'blob:x', revoke: () => {} },
    });
    store.getState().setEmbedder(RESNET);
    expect(store.getState()).toMatchObject({ embedder: RESNET, threshold: 0.5 });
    store.getState().addPhotos('reference', [new File([new Uint8Array([1])], 'ref.png')]);
    store.getState().addPhotos('test', [new File([new Uint8Array([1])], 't.png')]);
    await expect.poll(() => store.getState().scores.size).toBe(1);
    expect(sent).toEqual([RESNET, RESNET]);
    expect([...store.getState().scores.values()][0]?.[0]?.distance).toBeCloseTo(0, 6);
  });
});

describe('gallery file with an imported model', () => {
  const dim = VGGFACE_MODELS.resnet50.embeddingSize;
  const file = toGalleryFile(
    [
      {
        id: 'p',
        name: 'Sheldon',
        samples: [{ key: 'k', embedding: new Float32Array(dim).fill(0.25), crop: null, source: 'x' }],
      },
    ],
    RESNET,
    new Date('2026-01-01T00:00:00Z'),
  );

  it('round-trips: the id and 2048-d embeddings come back', () => {
    expect(file).toMatchObject({ model: RESNET, dim: 2048 });
    const parsed = parseGalleryFile(JSON.stringify(file), RESNET);
    expect(parsed.ok && parsed.file.people[0]?.embeddings[0]?.length).toBe(2048);
    expect(parsed.ok && parsed.file.model).toBe(RESNET);
  });

  it('is refused when another model is selected, and vice versa', () => {
    const other = parseGalleryFile(JSON.stringify(file), 'mobilefacenet');
    expect(other.ok ? '' : other.message).toBe(
      'This gallery was made with VGGFace2 ResNet-50 (imported), but MobileFaceNet is selected. Switch the model, then import it again: embeddings of different models cannot be compared.',
    );
    const senet = parseGalleryFile(JSON.stringify(file), 'vggface2-senet50');
    expect(senet.ok ? '' : senet.message).toMatch(
      /made with VGGFace2 ResNet-50 \(imported\), but VGGFace2 SENet-50/,
    );
    const shipped = toGalleryFile([], 'mobilefacenet');
    const back = parseGalleryFile(JSON.stringify(shipped), RESNET);
    expect(back.ok ? '' : back.message).toMatch(
      /made with MobileFaceNet, but VGGFace2 ResNet-50 \(imported\)/,
    );
  });

  it('an unknown model id is still refused', () => {
    const parsed = parseGalleryFile(JSON.stringify({ ...file, model: 'vggface2-resnet101' }), RESNET);
    expect(parsed.ok ? '' : parsed.message).toMatch(/a face model this FaceCheck does not have/);
  });
});
