/** The gallery as identification uses it: each person with the samples valid for the current model. */
import { useMemo, useRef } from 'react';
import { type EnrolledPerson, samplesOf } from '../state/gallery.ts';
import { useSession } from '../state/session-store.ts';

const samePerson = (a: EnrolledPerson, b: EnrolledPerson) =>
  a.id === b.id &&
  a.name === b.name &&
  a.samples.length === b.samples.length &&
  a.samples.every((s, i) => s.embedding === b.samples[i]?.embedding);

/**
 * Stable while the enrolled faces stay the same: any photo update recomputes the samples, but the
 * probe cards (which rank every face against the gallery) re-rank only when the gallery changed.
 */
export function useGallery(): readonly EnrolledPerson[] {
  const people = useSession((s) => s.people);
  const photos = useSession((s) => s.photos);
  const embedder = useSession((s) => s.embedder);
  const previous = useRef<readonly EnrolledPerson[]>([]);
  return useMemo(() => {
    const next = people.map((p) => ({
      id: p.id,
      name: p.name,
      samples: samplesOf(p, photos, embedder).samples,
    }));
    const last = previous.current;
    if (next.length === last.length && next.every((p, i) => samePerson(p, last[i] as EnrolledPerson)))
      return last;
    previous.current = next;
    return next;
  }, [people, photos, embedder]);
}
