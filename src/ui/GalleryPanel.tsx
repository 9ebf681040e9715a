/**
 * The gallery of named people: add a person, their cards, and the gallery's file actions — export
 * and import as JSON (embeddings only), and an opt-in copy in this browser that is written only when
 * the user clicks "Save in this browser".
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { embedderFacts } from '../models/embedder-facts.ts';
import type { AnyEmbedderId } from '../models/embedders.ts';
import { requestPersistentStorage } from '../pwa/persist-storage.ts';
import {
  forgetSavedGallery,
  loadSavedGallery,
  peekSavedGallery,
  type SavedGalleryInfo,
  saveGallery,
} from '../state/gallery-db.ts';
import { readGalleryFile, toGalleryFile } from '../state/gallery-file.ts';
import { useSession, useSessionStore } from '../state/session-store.ts';
import { downloadText, timestampedName } from './download.ts';
import { plural } from './format.ts';
import { PersonCard } from './PersonCard.tsx';
import { useGallery } from './useGallery.ts';

type Notice = { readonly tone: 'ok' | 'error'; readonly text: string } | null;

const modelName = (id: AnyEmbedderId) => embedderFacts(id).name;

export function GalleryPanel() {
  const store = useSessionStore();
  const people = useSession((s) => s.people);
  const embedder = useSession((s) => s.embedder);
  const addPerson = useSession((s) => s.addPerson);
  const gallery = useGallery();
  const [notice, setNotice] = useState<Notice>(null);
  const [saved, setSaved] = useState<SavedGalleryInfo | null>(null);
  const importInput = useRef<HTMLInputElement>(null);
  const nameId = useId();
  const enrolled = gallery.filter((p) => p.samples.length > 0).length;

  useEffect(() => {
    let live = true;
    peekSavedGallery()
      .then((info) => live && setSaved(info))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);

  const onAddPerson = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = new FormData(form).get('name');
    if (typeof name === 'string' && addPerson(name) !== null) form.reset();
  };

  const run = (work: () => Promise<Notice>) => {
    work()
      .then(setNotice)
      .catch((error: unknown) =>
        setNotice({ tone: 'error', text: error instanceof Error ? error.message : String(error) }),
      );
  };

  const save = () =>
    run(async () => {
      const info = await saveGallery(toGalleryFile(gallery, embedder));
      // The user asked to keep this gallery: ask the browser not to evict it under storage pressure.
      void requestPersistentStorage();
      setSaved(info);
      return {
        tone: 'ok',
        text: `Saved ${plural(info.people, 'person', 'people')} in this browser (names and embeddings, no photos).`,
      };
    });

  const load = () =>
    run(async () => {
      const parsed = await loadSavedGallery(embedder);
      if (!parsed.ok) return { tone: 'error', text: parsed.message };
      store.getState().importGallery(parsed.file);
      return {
        tone: 'ok',
        text: `Loaded ${plural(parsed.file.people.length, 'person', 'people')} from this browser.`,
      };
    });

  const forget = () =>
    run(async () => {
      await forgetSavedGallery();
      setSaved(null);
      return { tone: 'ok', text: 'The saved gallery was deleted from this browser.' };
    });

  const exportFile = () => {
    const text = `${JSON.stringify(toGalleryFile(gallery, embedder), null, 1)}\n`;
    downloadText(text, timestampedName('facecheck-gallery', 'json'), 'application/json');
  };

  const importFile = (file: File) =>
    run(async () => {
      // Refuses an oversized file from its size, before reading it.
      const parsed = await readGalleryFile(file, embedder);
      if (!parsed.ok) return { tone: 'error', text: parsed.message };
      store.getState().importGallery(parsed.file);
      return { tone: 'ok', text: `Imported ${plural(parsed.file.people.length, 'person', 'people')}.` };
    });

  return (
    <section className="panel gallery-panel" aria-labelledby="gallery-heading">
      <header className="section-head">
        <h2 id="gallery-heading">
          <span className="step">1</span> Gallery
        </h2>
        <span className="muted small">{plural(enrolled, 'person', 'people')} enrolled</span>
      </header>

      <form className="add-person" onSubmit={onAddPerson}>
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          name="name"
          placeholder="e.g. Sheldon"
          maxLength={80}
          autoComplete="off"
          required
          data-testid="person-name"
        />
        <button type="submit" className="button">
          Add person
        </button>
      </form>

      {saved !== null && people.length === 0 && (
        <div className="saved-banner">
          <span>
            A gallery of {plural(saved.people, 'person', 'people')} ({modelName(saved.model)}) is saved in
            this browser.
          </span>
          <button type="button" className="button secondary small" onClick={load}>
            Load it
          </button>
          <button type="button" className="link-button danger" onClick={forget}>
            Delete it
          </button>
        </div>
      )}

      {people.length === 0 ? (
        <p className="empty-note">
          Add a person by name, then give them one or more photos. Each face found enrols them.
        </p>
      ) : (
        <ul className="person-list">
          {people.map((p) => (
            <PersonCard key={p.id} id={p.id} />
          ))}
        </ul>
      )}

      <div className="gallery-actions">
        <button type="button" className="button secondary small" onClick={save} disabled={enrolled === 0}>
          Save in this browser
        </button>
        {saved !== null && people.length > 0 && (
          <button type="button" className="link-button danger" onClick={forget}>
            Delete saved copy
          </button>
        )}
        <button
          type="button"
          className="button secondary small"
          onClick={exportFile}
          disabled={enrolled === 0}
        >
          Export JSON
        </button>
        <button type="button" className="button secondary small" onClick={() => importInput.current?.click()}>
          Import JSON
        </button>
        <input
          ref={importInput}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="gallery-import-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file !== undefined) importFile(file);
          }}
        />
      </div>
      {notice !== null && (
        <p className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
    </section>
  );
}
